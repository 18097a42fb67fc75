/**
 * Draw order (draft-format.md §3): `segment.render_index ?? track.render_index ?? default by
 * track type`, ascending = back to front. Ties: later tracks over earlier ones (the first video
 * track is the main track, at the bottom); within a track, later segments over earlier ones (so
 * the incoming side of a transition is drawn over the outgoing one).
 */

const DEFAULT_RENDER_INDEX: Record<string, number> = {
  video: 0,
  audio: 0,
  effect: 10000,
  filter: 11000,
  sticker: 14000,
  // The doc gives 14000–15000 for text; pyJianYingDraft and JianYing's own default use 15000.
  text: 15000,
};

export function defaultRenderIndex(trackType: string): number {
  return DEFAULT_RENDER_INDEX[trackType] ?? 0;
}

export interface DrawOrderKey {
  renderIndex: number;
  trackIndex: number;
  /** Position of the segment within its track, in time order. */
  segmentIndex: number;
}

export function drawOrderKey(
  segment: { render_index?: number },
  track: { type: string; render_index?: number },
  trackIndex: number,
  segmentIndex: number,
): DrawOrderKey {
  return {
    renderIndex: segment.render_index ?? track.render_index ?? defaultRenderIndex(track.type),
    trackIndex,
    segmentIndex,
  };
}

export function compareDrawOrder(a: DrawOrderKey, b: DrawOrderKey): number {
  return a.renderIndex - b.renderIndex || a.trackIndex - b.trackIndex || a.segmentIndex - b.segmentIndex;
}
