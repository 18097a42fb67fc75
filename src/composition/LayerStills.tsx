import React from 'react';
import { AbsoluteFill, Sequence, useCurrentFrame } from 'remotion';
import type { Timeline } from '../timeline/types';
import { LayerView } from './DraftVideo';
import { useFontsLoaded } from './fonts';

export interface LayerStill {
  /** Index into `timeline.layers`. */
  layerIndex: number;
  /** Layer-relative frame to draw. */
  frame: number;
}

export interface LayerStillsProps extends Record<string, unknown> {
  timeline: Timeline;
  stills: LayerStill[];
}

/**
 * Frame i is still i: one layer at one of its frames on a transparent canvas. The ffmpeg
 * compositor moves these pictures over the video instead of asking the browser for every frame.
 */
export const LayerStills: React.FC<LayerStillsProps> = ({ timeline, stills }) => {
  useFontsLoaded(timeline.layers);
  const frame = useCurrentFrame();
  const still = stills[frame];
  const layer = still ? timeline.layers[still.layerIndex] : undefined;
  if (!still || !layer) return null;
  return (
    <AbsoluteFill style={{ overflow: 'hidden' }}>
      <Sequence from={frame - still.frame} durationInFrames={still.frame + 1} name={`${layer.kind} ${layer.id}`}>
        <LayerView layer={layer} timeline={timeline} />
      </Sequence>
    </AbsoluteFill>
  );
};
