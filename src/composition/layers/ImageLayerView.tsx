import React from 'react';
import { Img } from 'remotion';
import { pictureRect } from '../../timeline/picture';
import type { ImageLayer, MediaRef } from '../../timeline/types';
import { LayerBox } from '../LayerBox';
import { LayerPicture } from '../effects/LayerPicture';
import { MissingMedia } from './MissingMedia';

/**
 * A photo: it fills its box, or lies where pictureRect fits it (the rule the compositor uses);
 * CSS fits it only when its size is unknown.
 */
export const ImageLayerView: React.FC<{ layer: ImageLayer; media?: MediaRef }> = ({ layer, media }) => {
  const area = pictureRect(layer, media);
  return (
    <LayerBox layer={layer}>
      {media?.src ? (
        <LayerPicture layer={layer} area={area ?? undefined}>
          <Img src={media.src} style={{ width: '100%', height: '100%', objectFit: area ? 'fill' : 'contain', display: 'block' }} />
        </LayerPicture>
      ) : (
        <MissingMedia layer={layer} />
      )}
    </LayerBox>
  );
};
