import React from 'react';
import { Composition, type CalculateMetadataFunction } from 'remotion';
import type { Timeline } from '../timeline/types';
import { DraftVideo, type DraftVideoProps } from './DraftVideo';
import { COMPOSITION_ID } from './id';

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

export const Root: React.FC = () => (
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
);
