/**
 * Tracks: a number over time as sorted key frames, held outside, straight or a cubic Bézier
 * between two key frames. The composition imports this file, so it stays pure and tiny (no node
 * imports) and valueAt stays fast: it runs for every property of every layer on every frame.
 */
import type { Track, TrackCurve } from './types';

export function constantTrack(value: number): Track {
  return { frames: [0], values: [value] };
}

const hasCurves = (track: Track): boolean => track.curves?.some((c) => c) ?? false;

/**
 * A cubic Bézier easing from (0, v0) to (1, v1) through (x1, y1), (x2, y2), read at x = t: the
 * curve's own parameter is found by Newton steps, with bisection when they stall (x is
 * monotone for control x inside 0..1, which keyframes.ts ensures).
 */
export function bezierValue(c: TrackCurve, v0: number, v1: number, t: number): number {
  const bx = (s: number) => 3 * (1 - s) * (1 - s) * s * c.x1 + 3 * (1 - s) * s * s * c.x2 + s * s * s;
  let s = t;
  for (let i = 0; i < 8; i++) {
    const slope = 3 * (1 - s) * (1 - s) * c.x1 + 6 * (1 - s) * s * (c.x2 - c.x1) + 3 * s * s * (1 - c.x2);
    const error = bx(s) - t;
    if (Math.abs(error) < 1e-9) break;
    if (Math.abs(slope) < 1e-6) {
      s = bisect(bx, t);
      break;
    }
    s = Math.min(1, Math.max(0, s - error / slope));
  }
  const u = 1 - s;
  return u * u * u * v0 + 3 * u * u * s * c.y1 + 3 * u * s * s * c.y2 + s * s * s * v1;
}

function bisect(bx: (s: number) => number, t: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (bx(mid) < t) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
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
  const curve = track.curves?.[lo];
  if (curve) return bezierValue(curve, values[lo], values[hi], t);
  return values[lo] + (values[hi] - values[lo]) * t;
}

export function isConstant(track: Track): boolean {
  const v = track.values[0];
  return track.values.every((x) => x === v) && (track.curves ?? []).every((c) => !c || (c.y1 === v && c.y2 === v));
}

/** Move every key frame by `deltaFrames` (a layer that now starts earlier shifts by +lead). */
export function shiftTrack(track: Track, deltaFrames: number): Track {
  if (deltaFrames === 0 || track.frames.length <= 1) return track;
  return { ...track, frames: track.frames.map((f) => f + deltaFrames), values: [...track.values] };
}

/** Values (and curve control values) through `fn`: exact for the linear maps of keyframes.ts. */
export function mapTrack(track: Track, fn: (v: number) => number): Track {
  const out: Track = { frames: track.frames, values: track.values.map(fn) };
  if (track.curves) out.curves = track.curves.map((c) => c && { ...c, y1: fn(c.y1), y2: fn(c.y2) });
  return out;
}

/** A curved track read at every whole frame between its first and last key frame, straight between. */
export function sampleTrack(track: Track): Track {
  if (!hasCurves(track)) return track;
  const first = Math.floor(track.frames[0]);
  const last = Math.ceil(track.frames[track.frames.length - 1]);
  const frames = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  return { frames, values: frames.map((f) => valueAt(track, f)) };
}

/**
 * Point-wise product, sampled at the union of both tracks' key frames (at every frame where a
 * curve shapes one of them). Between key frames the true product is quadratic; linear is close
 * enough for gain envelopes.
 */
export function multiplyTracks(a: Track, b: Track): Track {
  const sa = sampleTrack(a);
  const sb = sampleTrack(b);
  const frames = [...new Set([...sa.frames, ...sb.frames])].sort((x, y) => x - y);
  const values = frames.map((f) => valueAt(a, f) * valueAt(b, f));
  return simplifyTrack({ frames, values });
}

/** Drop key frames that a straight line through their neighbours already gives. */
export function simplifyTrack(track: Track): Track {
  const { frames, values } = track;
  if (frames.length <= 1) return track;
  if (isConstant(track)) return { frames: [frames[0]], values: [values[0]] };
  // A curved stretch needs both its key frames.
  if (hasCurves(track)) return track;
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
