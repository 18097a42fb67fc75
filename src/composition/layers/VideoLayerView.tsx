import React from 'react';
import { OffthreadVideo, useVideoConfig } from 'remotion';
import type { MediaRef, VideoLayer } from '../../timeline/types';
import { LayerBox } from '../LayerBox';
import { SourceTime } from '../SourceTime';
import { LayerPicture } from '../effects/LayerPicture';
import { MissingMedia } from './MissingMedia';

const fill: React.CSSProperties = { width: '100%', height: '100%', objectFit: 'fill', display: 'block' };

/** A video segment. Its sound is an AudioClip of its own, so the picture is always muted. */
export const VideoLayerView: React.FC<{ layer: VideoLayer; media?: MediaRef }> = ({ layer, media }) => {
  const { fps } = useVideoConfig();
  return (
    <LayerBox layer={layer}>
      {media?.src ? (
        <LayerPicture layer={layer}>
          <SourceTime layer={layer}>
            <OffthreadVideo
              src={media.src}
              muted
              trimBefore={Math.round(layer.sourceStartSec * fps)}
              playbackRate={layer.playbackRate}
              style={fill}
            />
          </SourceTime>
        </LayerPicture>
      ) : (
        <MissingMedia layer={layer} />
      )}
    </LayerBox>
  );
};
