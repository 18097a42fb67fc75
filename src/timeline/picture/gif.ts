/**
 * Which image of a GIF shows on a layer frame: the composition's GIF player's rule
 * (@remotion/gif's useCurrentGifIndex, looping): the time in ms, modulo the GIF's length, walked
 * through the images' delays (MediaRef.gifFrameDelaysMs).
 */
export function gifFrameAt(delaysMs: readonly number[], frame: number, fps: number): number {
  return gifImageAt(delaysMs, frame, fps).image;
}

/** The image shown at a layer frame, and in which pass of the loop. */
export function gifImageAt(delaysMs: readonly number[], frame: number, fps: number): { image: number; pass: number } {
  if (delaysMs.length === 0) return { image: 0, pass: 0 };
  const duration = delaysMs.reduce((sum, d) => sum + d, 0);
  const time = (frame / fps) * 1000;
  let t = time % duration;
  const pass = Math.round((time - t) / duration);
  for (let i = 0; i < delaysMs.length; i++) {
    if (t < delaysMs[i]) return { image: i, pass };
    t -= delaysMs[i];
  }
  return { image: 0, pass };
}

/**
 * The GIF played as a stream of its images looped (occurrence k is image k mod n in pass
 * floor(k / n)): for frames [fromFrame, fromFrame + durationFrames) of the layer, the first
 * occurrence shown at fromFrame and, from it on, the frame (counted from fromFrame) each
 * occurrence starts at. An occurrence shorter than a frame starts where the next one does.
 */
export function gifOccurrences(delaysMs: readonly number[], fromFrame: number, durationFrames: number, fps: number): { first: number; starts: number[] } {
  const n = Math.max(1, delaysMs.length);
  const occurrence = (f: number) => {
    const { image, pass } = gifImageAt(delaysMs, f, fps);
    return pass * n + image;
  };
  const first = occurrence(fromFrame);
  const last = occurrence(fromFrame + durationFrames - 1);
  const starts: number[] = new Array(last - first + 1).fill(-1);
  for (let f = 0; f < durationFrames; f++) {
    const k = occurrence(fromFrame + f) - first;
    if (starts[k] < 0) starts[k] = f;
  }
  for (let k = starts.length - 1; k >= 0; k--) if (starts[k] < 0) starts[k] = starts[k + 1] ?? durationFrames;
  return { first, starts };
}
