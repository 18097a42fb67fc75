/**
 * Which image of a GIF shows on a layer frame: the composition's GIF player's rule
 * (@remotion/gif's useCurrentGifIndex, looping): the time in ms, modulo the GIF's length, walked
 * through the images' delays (MediaRef.gifFrameDelaysMs).
 */
export function gifFrameAt(delaysMs: readonly number[], frame: number, fps: number): number {
  if (delaysMs.length === 0) return 0;
  const duration = delaysMs.reduce((sum, d) => sum + d, 0);
  let t = ((frame / fps) * 1000) % duration;
  for (let i = 0; i < delaysMs.length; i++) {
    if (t < delaysMs[i]) return i;
    t -= delaysMs[i];
  }
  return 0;
}
