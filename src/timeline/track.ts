/**
 * Tracks: a number over time as sorted key frames, linear between, held outside.
 * The composition imports this file, so it stays pure and tiny (no node imports).
 */
import type { Track } from './types';

export function constantTrack(value: number): Track {
  return { frames: [0], values: [value] };
}

/** The value at a (layer-relative, possibly fractional) frame. An empty track reads as 0. */
export function valueAt(track: Track, frame: number): number {
  const { frames, values } = track;
  const n = frames.length;
  if (n === 0) return 0;
  if (frame <= frames[0]) return values[0];
  if (frame >= frames[n - 1]) return values[n - 1];
  // Binary search for the last key frame at or before `frame`.
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (frames[mid] <= frame) lo = mid;
    else hi = mid;
  }
  const t = (frame - frames[lo]) / (frames[hi] - frames[lo]);
  return values[lo] + (values[hi] - values[lo]) * t;
}

export function isConstant(track: Track): boolean {
  return track.values.every((v) => v === track.values[0]);
}

/** Move every key frame by `deltaFrames` (a layer that now starts earlier shifts by +lead). */
export function shiftTrack(track: Track, deltaFrames: number): Track {
  if (deltaFrames === 0 || track.frames.length <= 1) return track;
  return { frames: track.frames.map((f) => f + deltaFrames), values: [...track.values] };
}

/**
 * Point-wise product, sampled at the union of both tracks' key frames. Between key frames the
 * true product is quadratic; linear is close enough for gain envelopes.
 */
export function multiplyTracks(a: Track, b: Track): Track {
  const frames = [...new Set([...a.frames, ...b.frames])].sort((x, y) => x - y);
  const values = frames.map((f) => valueAt(a, f) * valueAt(b, f));
  return simplifyTrack({ frames, values });
}

/** Drop key frames that a straight line through their neighbours already gives. */
export function simplifyTrack(track: Track): Track {
  const { frames, values } = track;
  if (frames.length <= 1) return track;
  if (isConstant(track)) return { frames: [frames[0]], values: [values[0]] };
  const outF = [frames[0]];
  const outV = [values[0]];
  for (let i = 1; i < frames.length - 1; i++) {
    const f0 = outF[outF.length - 1];
    const v0 = outV[outV.length - 1];
    const expected = v0 + ((values[i + 1] - v0) * (frames[i] - f0)) / (frames[i + 1] - f0);
    if (Math.abs(expected - values[i]) > 1e-9) {
      outF.push(frames[i]);
      outV.push(values[i]);
    }
  }
  outF.push(frames[frames.length - 1]);
  outV.push(values[values.length - 1]);
  // Values are held outside, so equal end points add nothing.
  while (outV.length > 1 && outV[outV.length - 1] === outV[outV.length - 2]) {
    outF.pop();
    outV.pop();
  }
  while (outV.length > 1 && outV[0] === outV[1]) {
    outF.shift();
    outV.shift();
  }
  return { frames: outF, values: outV };
}
