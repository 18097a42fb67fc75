import React from 'react';
import { Gif } from '@remotion/gif';
import { AbsoluteFill, Img, useVideoConfig } from 'remotion';
import type { Background, MediaRef } from '../../timeline/types';
import { SourceVideo } from '../SourceVideo';
import { blurEdgeScale } from '../../timeline/picture';
import { cropPlacement, sourceSizePx } from './picture-style';

const fill: React.CSSProperties = { width: '100%', height: '100%', display: 'block' };

/** The background picture's element, filling its parent (`cover` when its size was unknown). */
const Picture: React.FC<{ background: Background; media: MediaRef & { src: string }; box: { width: number; height: number } }> = ({
  background,
  media,
  box,
}) => {
  const objectFit = background.boxPx || background.crop ? 'fill' : 'cover';
  switch (media.kind) {
    case 'video': {
      const clock = {
        sourceStartSec: background.sourceStartSec ?? 0,
        playbackRate: background.playbackRate ?? 1,
        ...(background.speedCurve ? { speedCurve: background.speedCurve } : {}),
      };
      return <SourceVideo clock={clock} src={media.src} style={{ ...fill, objectFit }} />;
    }
    case 'gif': {
      const size = sourceSizePx(box, background.crop);
      return <Gif src={media.src} width={size.width} height={size.height} fit={objectFit} loopBehavior="loop" style={{ display: 'block' }} />;
    }
    default:
      return <Img src={media.src} style={{ ...fill, objectFit }} />;
  }
};

/**
 * What JianYing draws behind a main-track segment: a colour, a picture filling the canvas, or the
 * segment's own picture cover-fitted and blurred (scaled up a little so the blur's transparent
 * rim stays outside the canvas).
 */
export const BackgroundView: React.FC<{ background: Background; media?: MediaRef }> = ({ background, media }) => {
  const { width: canvasWidth, height: canvasHeight } = useVideoConfig();
  if (background.kind === 'color') return <AbsoluteFill style={{ backgroundColor: background.color }} />;
  if (!media?.src) return null;
  const src = media.src;
  const box = background.boxPx ?? { width: canvasWidth, height: canvasHeight };
  const blurPx = background.kind === 'blur' ? (background.blurPx ?? 0) : 0;
  const picture = <Picture background={background} media={{ ...media, src }} box={box} />;
  return (
    <AbsoluteFill style={{ overflow: 'hidden' }}>
      <div
        style={{
          position: 'absolute',
          left: (canvasWidth - box.width) / 2,
          top: (canvasHeight - box.height) / 2,
          width: box.width,
          height: box.height,
          overflow: 'hidden',
          transform: blurPx > 0 ? `scale(${blurEdgeScale(blurPx, { width: canvasWidth, height: canvasHeight })})` : undefined,
          filter: blurPx > 0 ? `blur(${blurPx}px)` : undefined,
        }}
      >
        {background.crop ? <div style={cropPlacement(background.crop)}>{picture}</div> : picture}
      </div>
    </AbsoluteFill>
  );
};
