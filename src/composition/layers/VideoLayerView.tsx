import React from 'react';
import { OffthreadVideo, useVideoConfig } from 'remotion';
import type { MediaRef, VideoLayer } from '../../timeline/types';
import { LayerBox } from '../LayerBox';
import { MissingMedia } from './MissingMedia';

const fill: React.CSSProperties = { width: '100%', height: '100%', objectFit: 'fill', display: 'block' };

/** A video segment. Its sound is an AudioClip of its own, so the picture is always muted. */
export const VideoLayerView: React.FC<{ layer: VideoLayer; media?: MediaRef }> = ({ layer, media }) => {
  const { fps } = useVideoConfig();
  return (
    <LayerBox layer={layer}>
      {media?.src ? (
        <OffthreadVideo
          src={media.src}
          muted
          trimBefore={Math.round(layer.sourceStartSec * fps)}
          playbackRate={layer.playbackRate}
          style={fill}
        />
      ) : (
        <MissingMedia layer={layer} />
      )}
    </LayerBox>
  );
};
