import type { VisualLayer } from '../timeline/types';

/**
 * Opacity factor of a layer from its transitions at a layer-relative frame. A cross-fade only
 * fades the incoming layer in over the outgoing one, which keeps playing underneath; so the
 * blend at the cut's midpoint is 50/50.
 */
export const transitionOpacity = (layer: VisualLayer, frame: number): number => {
  const t = layer.transitionIn;
  if (!t || t.durationFrames <= 0) return 1;
  // +0.5: sample the middle of the frame so a window of N frames blends in N even steps.
  const progress = (frame - t.startFrame + 0.5) / t.durationFrames;
  return Math.max(0, Math.min(1, progress));
};
