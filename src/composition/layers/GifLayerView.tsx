import React from 'react';
import { Gif } from '@remotion/gif';
import type { GifLayer, MediaRef } from '../../timeline/types';
import { LayerBox } from '../LayerBox';
import { MissingMedia } from './MissingMedia';

export const GifLayerView: React.FC<{ layer: GifLayer; media?: MediaRef }> = ({ layer, media }) => (
  <LayerBox layer={layer}>
    {media?.src ? (
      <Gif src={media.src} width={layer.boxPx.width} height={layer.boxPx.height} fit="fill" loopBehavior="loop" />
    ) : (
      <MissingMedia layer={layer} />
    )}
  </LayerBox>
);
