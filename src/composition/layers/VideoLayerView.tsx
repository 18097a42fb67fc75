import React from 'react';
import type { MediaRef, VideoLayer } from '../../timeline/types';
import { LayerBox } from '../LayerBox';
import { SourceVideo } from '../SourceVideo';
import { LayerPicture } from '../effects/LayerPicture';
import { MissingMedia } from './MissingMedia';

const fill: React.CSSProperties = { width: '100%', height: '100%', objectFit: 'fill', display: 'block' };

/** A video segment. Its sound is an AudioClip of its own, so the picture is always muted. */
export const VideoLayerView: React.FC<{ layer: VideoLayer; media?: MediaRef }> = ({ layer, media }) => (
  <LayerBox layer={layer}>
    {media?.src ? (
      <LayerPicture layer={layer}>
        <SourceVideo clock={layer} src={media.src} style={fill} />
      </LayerPicture>
    ) : (
      <MissingMedia layer={layer} />
    )}
  </LayerBox>
);
