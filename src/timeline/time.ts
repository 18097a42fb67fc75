/**
 * Time: the draft counts microseconds, the timeline counts frames. JianYing itself rounds
 * boundaries to frames (0.767 s is stored as 766667 µs), so rounding recovers its frame.
 */

export const US_PER_SECOND = 1_000_000;
export const DEFAULT_FPS = 30;

/** µs → frames, rounded to the nearest frame. */
export function usToFrames(us: number, fps: number): number {
  return Math.round((us * fps) / US_PER_SECOND);
}

export function usToSeconds(us: number): number {
  return us / US_PER_SECOND;
}

/**
 * A segment's frame window. Both ends are rounded from absolute µs (not start + rounded
 * duration), so a segment that ends where the next begins shares the boundary frame: no gap,
 * no overlap.
 */
export function segmentFrames(
  startUs: number,
  durationUs: number,
  fps: number,
): { fromFrame: number; durationFrames: number } {
  const fromFrame = usToFrames(startUs, fps);
  return { fromFrame, durationFrames: usToFrames(startUs + durationUs, fps) - fromFrame };
}

/**
 * The draft's fps, or null when it is unusable (missing, 0, negative, non-finite).
 * Non-integer rates such as 29.97 are kept, to 2 decimals.
 */
export function usableFps(fps: number | undefined): number | null {
  if (fps === undefined || !Number.isFinite(fps) || fps <= 0) return null;
  return Math.round(fps * 100) / 100;
}
