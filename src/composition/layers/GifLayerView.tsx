import React from 'react';
import { Gif } from '@remotion/gif';
import type { GifLayer, MediaRef } from '../../timeline/types';
import { LayerBox } from '../LayerBox';
import { LayerPicture } from '../effects/LayerPicture';
import { sourceSizePx } from '../effects/picture-style';
import { MissingMedia } from './MissingMedia';

export const GifLayerView: React.FC<{ layer: GifLayer; media?: MediaRef }> = ({ layer, media }) => {
  // A cropped GIF is drawn whole, larger than the box, and the box shows its crop.
  const size = sourceSizePx(layer.boxPx, layer.crop);
  return (
    <LayerBox layer={layer}>
      {media?.src ? (
        <LayerPicture layer={layer}>
          {/* A block: an inline canvas would sit on a text baseline, a few pixels below the box's top. */}
          <Gif src={media.src} width={size.width} height={size.height} fit="fill" loopBehavior="loop" style={{ display: 'block' }} />
        </LayerPicture>
      ) : (
        <MissingMedia layer={layer} />
      )}
    </LayerBox>
  );
};
