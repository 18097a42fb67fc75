/**
 * The source moment a video shows on each output frame: one rule for both engines and for the
 * video's sound. Output frame n of a layer shows the **last source frame at or before the exact
 * source time** sourceSecAt(n): never a start rounded to whole frames. JianYing's own export at
 * 30 fps and speed 2 shows source frame 2n on frame n; a start of 216 667 µs (6.5 frames at
 * 30 fps) shows source frame n + 6 on frame n.
 *
 * The composition imports this file, so it stays pure and tiny (no node imports).
 */
import { curveEndRates, curveSourceSec } from './speed-curve';
import type { SourceClock } from './types';

/**
 * Slack added to a source time before picking its frame: sums of float seconds land a hair
 * below an exact frame time (0.1 + 0.2), which must still show that frame. A microsecond is far
 * below any frame's length.
 */
export const SOURCE_TIME_SLACK_SEC = 1e-6;

/** Frames the source has played by a layer frame: none while frozen, no more once held. */
export function playedFrames(clock: Pick<SourceClock, 'freezeBeforeFrame' | 'holdFromFrame'>, frame: number): number {
  const playFrom = clock.freezeBeforeFrame ?? 0;
  let f = Math.max(frame, playFrom);
  if (clock.holdFromFrame !== undefined && f >= clock.holdFromFrame) f = Math.max(playFrom, clock.holdFromFrame - 1);
  return f - playFrom;
}

/** Source seconds played `playedSec` output seconds after playback starts (not held at the ends). */
export function playedSourceSec(clock: SourceClock, playedSec: number): number {
  const curve = clock.speedCurve;
  if (!curve) return playedSec * clock.playbackRate;
  return curveSourceSec(curve, playedSec - curve.leadSec) - curveSourceSec(curve, -curve.leadSec);
}

/** Source seconds shown at a layer frame. */
export function sourceSecAt(clock: SourceClock, frame: number, fps: number): number {
  return clock.sourceStartSec + playedSourceSec(clock, playedFrames(clock, frame) / fps);
}

/** Index of the source frame shown at a source time: the last one at or before it. */
export function sourceFrameIndex(sourceSec: number, sourceFps: number): number {
  return Math.floor((sourceSec + SOURCE_TIME_SLACK_SEC) * sourceFps);
}

/** Source seconds per output second where playback starts (a transition's lead-in plays at it). */
export function startRate(clock: SourceClock): number {
  return clock.speedCurve ? curveEndRates(clock.speedCurve).startRate : clock.playbackRate;
}

/**
 * The first layer frame (after playback starts) whose source time reaches `sourceSec`, or
 * undefined when none of the first `durationFrames` does: where a source that ends there must
 * start holding its last picture.
 */
export function firstFrameReaching(clock: SourceClock, sourceSec: number, fps: number, durationFrames: number): number | undefined {
  const playFrom = clock.freezeBeforeFrame ?? 0;
  const needSec = sourceSec - clock.sourceStartSec;
  const reaches = (f: number) => playedSourceSec(clock, (f - playFrom) / fps) >= needSec - 1e-6 * startRate(clock) / fps;
  if (!clock.speedCurve) {
    const f = Math.max(playFrom + 1, Math.ceil(playFrom + (needSec * fps) / clock.playbackRate - 1e-6));
    return f < durationFrames ? f : undefined;
  }
  if (!reaches(durationFrames - 1)) return undefined;
  // Played source only grows: bisect.
  let lo = playFrom + 1;
  let hi = durationFrames - 1;
  if (reaches(lo)) return lo;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The same clock seen from `skipFrames` frames later: a piece of the layer starting there (a
 * chunk of the compositor) shows the same source moments on the same frames.
 */
export function shiftClock<C extends SourceClock>(clock: C, skipFrames: number, fps: number): C {
  if (skipFrames <= 0) return clock;
  const playFrom = clock.freezeBeforeFrame ?? 0;
  const played = playedFrames(clock, skipFrames);
  const hold = clock.holdFromFrame;
  const shifted: C = {
    ...clock,
    sourceStartSec: clock.sourceStartSec + playedSourceSec(clock, played / fps),
    freezeBeforeFrame: Math.max(0, playFrom - skipFrames),
    holdFromFrame: hold === undefined ? undefined : Math.max(1, hold - skipFrames),
  };
  if (clock.speedCurve) shifted.speedCurve = { ...clock.speedCurve, leadSec: clock.speedCurve.leadSec - played / fps };
  return shifted;
}

/**
 * How far a speed curve's sound may stray from its picture: half a frame at 30 fps, well inside
 * what lips and sound are seen to agree by. Each piece is one speed, and a join between pieces
 * is audible, so pieces are made as long as this allows.
 */
export const SOUND_PIECE_TOLERANCE_SEC = 0.016;

/** Longest sound piece: keeps the fit's work per piece small on long, nearly straight stretches. */
const MAX_PIECE_FRAMES = 300;

/** A stretch of a clock's playback at one speed: what a constant-rate player (a sound) plays. */
export interface ClockPiece {
  /** Layer frames [fromFrame, fromFrame + durationFrames). */
  fromFrame: number;
  durationFrames: number;
  sourceStartSec: number;
  playbackRate: number;
}

/**
 * A clock's playback as constant-speed pieces whose source positions stay within `toleranceSec`
 * of the clock's on every frame: one piece at a constant speed; a speed curve in short pieces,
 * exact at their edges. Frozen frames (before playback, after the source ends) are left out.
 */
export function clockPieces(clock: SourceClock, durationFrames: number, fps: number, toleranceSec = SOUND_PIECE_TOLERANCE_SEC): ClockPiece[] {
  const playFrom = clock.freezeBeforeFrame ?? 0;
  const end = Math.min(durationFrames, clock.holdFromFrame ?? durationFrames);
  if (end <= playFrom) return [];
  if (!clock.speedCurve) {
    return [{ fromFrame: playFrom, durationFrames: end - playFrom, sourceStartSec: clock.sourceStartSec, playbackRate: clock.playbackRate }];
  }
  const positions = Array.from({ length: end - playFrom + 1 }, (_, k) => clock.sourceStartSec + playedSourceSec(clock, k / fps));
  const at = (f: number) => positions[f - playFrom];
  const pieces: ClockPiece[] = [];
  let from = playFrom;
  while (from < end) {
    // Grow the piece while a straight line from its start stays on the curve at every frame.
    let to = from + 1;
    while (to < end && to - from < MAX_PIECE_FRAMES) {
      const next = to + 1;
      const rate = (at(next) - at(from)) / (next - from);
      let fits = true;
      for (let f = from + 1; f < next && fits; f++) fits = Math.abs(at(from) + rate * (f - from) - at(f)) <= toleranceSec;
      if (!fits) break;
      to = next;
    }
    pieces.push({ fromFrame: from, durationFrames: to - from, sourceStartSec: at(from), playbackRate: ((at(to) - at(from)) * fps) / (to - from) });
    from = to;
  }
  return pieces;
}
