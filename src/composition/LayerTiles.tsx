import React from 'react';
import { AbsoluteFill, Freeze, Sequence, useCurrentFrame, useVideoConfig } from 'remotion';
import type { Timeline, VisualLayer } from '../timeline/types';
import { LayerView } from './DraftVideo';
import { LayerBox } from './LayerBox';
import { BackgroundView } from './effects/BackgroundView';
import { LayerPicture } from './effects/LayerPicture';
import { useFontsLoaded } from './fonts';

/** One picture the browser draws for the compositor: a layer (or a background) at one of its frames. */
export interface Tile {
  /** Index into `timeline.layers`, or into `timeline.backgrounds` for a background. */
  layer?: number;
  background?: number;
  /** Frame of the layer (or background) drawn, counted from its start. */
  frame: number;
  /** `layer`: as the video draws it; `mask`: only its mask, as alpha (white where the mask keeps the picture). */
  content: 'layer' | 'mask';
  /** The part of the canvas the tile shows (canvas pixels; may reach past the canvas). */
  window: { x: number; y: number; width: number; height: number };
  /** Top-left corner of the tile in the atlas frame. */
  x: number;
  y: number;
}

export interface LayerTilesProps extends Record<string, unknown> {
  timeline: Timeline;
  /** Frame i of the composition draws the tiles of frames[i]. */
  frames: Tile[][];
}

/** A media layer's mask alone: white through the mask, in the layer's box. */
const MaskView: React.FC<{ layer: VisualLayer }> = ({ layer }) => (
  <LayerBox layer={layer}>
    <LayerPicture layer={{ ...layer, crop: undefined, filters: undefined }}>
      <AbsoluteFill style={{ backgroundColor: 'white' }} />
    </LayerPicture>
  </LayerBox>
);

const TileView: React.FC<{ tile: Tile; timeline: Timeline }> = ({ tile, timeline }) => {
  const { width, height } = useVideoConfig();
  const layer = tile.layer !== undefined ? timeline.layers[tile.layer] : undefined;
  const background = tile.background !== undefined ? timeline.backgrounds?.[tile.background] : undefined;
  const item = layer ?? background;
  if (!item) return null;
  let content: React.ReactNode;
  if (layer) content = tile.content === 'mask' ? <MaskView layer={layer} /> : <LayerView layer={layer} timeline={timeline} />;
  else content = <BackgroundView background={background!} media={background!.mediaId ? timeline.media[background!.mediaId] : undefined} />;
  return (
    <div style={{ position: 'absolute', left: tile.x, top: tile.y, width: tile.window.width, height: tile.window.height, overflow: 'hidden' }}>
      <div style={{ position: 'absolute', left: -tile.window.x, top: -tile.window.y, width, height }}>
        {/* The structure DraftVideo gives every layer (a Sequence from its first frame), frozen at the tile's frame. */}
        <Freeze frame={item.fromFrame + tile.frame}>
          <Sequence from={item.fromFrame} durationInFrames={item.durationFrames}>
            {content}
          </Sequence>
        </Freeze>
      </div>
    </div>
  );
};

/**
 * The compositor's pictures from the browser, drawn with the video's own components on a
 * transparent canvas: frame i of this composition is an atlas of tiles, each one layer at one of
 * its frames cut to a window. ffmpeg cuts the tiles out again and places them in the video.
 */
export const LayerTiles: React.FC<LayerTilesProps> = ({ timeline, frames }) => {
  useFontsLoaded(timeline.layers);
  const tiles = frames[useCurrentFrame()] ?? [];
  return (
    <AbsoluteFill style={{ overflow: 'hidden' }}>
      {tiles.map((tile, i) => (
        <TileView key={i} tile={tile} timeline={timeline} />
      ))}
    </AbsoluteFill>
  );
};
