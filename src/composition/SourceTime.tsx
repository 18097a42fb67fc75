import React from 'react';
import { Freeze, Sequence, useCurrentFrame } from 'remotion';
import type { VideoLayer } from '../timeline/types';
import { heldSourceFrame } from './source-frames';

/**
 * Runs a video layer's source on its own clock: it starts playing at `freezeBeforeFrame` and
 * stands still on its first / last picture outside the part the source covers.
 */
export const SourceTime: React.FC<{ layer: VideoLayer; children: React.ReactNode }> = ({ layer, children }) => {
  const frame = useCurrentFrame();
  const playFrom = layer.freezeBeforeFrame ?? 0;
  if (playFrom === 0 && layer.holdFromFrame === undefined) return <>{children}</>;
  const held = heldSourceFrame(layer, frame);
  return (
    <Freeze frame={held ?? 0} active={held !== null}>
      <Sequence from={playFrom} layout="none" name="source">
        {children}
      </Sequence>
    </Freeze>
  );
};
