import React from 'react';
import { Composition, type CalculateMetadataFunction } from 'remotion';
import type { Timeline } from '../timeline/types';
import { DraftVideo, type DraftVideoProps } from './DraftVideo';
import { ContactSheet, sheetSizePx, type ContactSheetProps } from './ContactSheet';
import { LayerTiles, type LayerTilesProps } from './LayerTiles';
import { COMPOSITION_ID, SHEET_ID, TILES_ID } from './id';

export { COMPOSITION_ID };

/** Shown by Studio when no draft was given. */
const emptyTimeline: Timeline = {
  widthPx: 1080,
  heightPx: 1920,
  fps: 30,
  durationFrames: 30,
  layers: [],
  audio: [],
  media: {},
  warnings: [],
};

const calculateMetadata: CalculateMetadataFunction<DraftVideoProps> = ({ props }) => ({
  width: props.timeline.widthPx,
  height: props.timeline.heightPx,
  fps: props.timeline.fps,
  durationInFrames: Math.max(1, props.timeline.durationFrames),
});

// A composition, not a <Still>: frames are clamped to the composition's length, and every
// frame of the timeline must be reachable by the <Freeze>s inside the sheet.
const calculateSheetMetadata: CalculateMetadataFunction<ContactSheetProps> = ({ props }) => ({
  ...sheetSizePx(props),
  fps: props.timeline.fps,
  durationInFrames: Math.max(1, props.timeline.durationFrames),
});

// Long enough for every frame of the timeline too: the tiles' <Freeze>s reach any of them.
const calculateTilesMetadata: CalculateMetadataFunction<LayerTilesProps> = ({ props }) => ({
  width: props.timeline.widthPx,
  height: props.timeline.heightPx,
  fps: props.timeline.fps,
  durationInFrames: Math.max(1, props.frames.length, props.timeline.durationFrames),
});

export const Root: React.FC = () => (
  <>
    <Composition
      id={COMPOSITION_ID}
      component={DraftVideo}
      defaultProps={{ timeline: emptyTimeline }}
      calculateMetadata={calculateMetadata}
      width={emptyTimeline.widthPx}
      height={emptyTimeline.heightPx}
      fps={emptyTimeline.fps}
      durationInFrames={emptyTimeline.durationFrames}
    />
    <Composition
      id={SHEET_ID}
      component={ContactSheet}
      defaultProps={{ timeline: emptyTimeline, frames: [0], columns: 1, thumbWidthPx: 320 }}
      calculateMetadata={calculateSheetMetadata}
      width={336}
      height={600}
      fps={emptyTimeline.fps}
      durationInFrames={emptyTimeline.durationFrames}
    />
    <Composition
      id={TILES_ID}
      component={LayerTiles}
      defaultProps={{ timeline: emptyTimeline, frames: [] }}
      calculateMetadata={calculateTilesMetadata}
      width={emptyTimeline.widthPx}
      height={emptyTimeline.heightPx}
      fps={emptyTimeline.fps}
      durationInFrames={1}
    />
  </>
);
