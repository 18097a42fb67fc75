import type { VideoLayer } from '../timeline/types';

/**
 * The layer frame whose source picture a frame shows when the source does not move (before
 * `freezeBeforeFrame`: the first picture; from `holdFromFrame`: the last one), or null while it plays.
 */
export function heldSourceFrame(layer: Pick<VideoLayer, 'freezeBeforeFrame' | 'holdFromFrame'>, frame: number): number | null {
  const playFrom = layer.freezeBeforeFrame ?? 0;
  if (frame < playFrom) return playFrom;
  if (layer.holdFromFrame !== undefined && frame >= layer.holdFromFrame) return Math.max(playFrom, layer.holdFromFrame - 1);
  return null;
}
