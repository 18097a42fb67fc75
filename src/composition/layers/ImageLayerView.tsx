import React from 'react';
import { Img } from 'remotion';
import type { ImageLayer, MediaRef } from '../../timeline/types';
import { LayerBox } from '../LayerBox';
import { LayerPicture } from '../effects/LayerPicture';
import { MissingMedia } from './MissingMedia';

export const ImageLayerView: React.FC<{ layer: ImageLayer; media?: MediaRef }> = ({ layer, media }) => (
  <LayerBox layer={layer}>
    {media?.src ? (
      <LayerPicture layer={layer}>
        <Img src={media.src} style={{ width: '100%', height: '100%', objectFit: layer.fit ?? 'fill', display: 'block' }} />
      </LayerPicture>
    ) : (
      <MissingMedia layer={layer} />
    )}
  </LayerBox>
);
