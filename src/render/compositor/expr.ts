/**
 * Numbers that change over time as ffmpeg expressions. ffmpeg evaluates `x`/`y`/`w`/`h`/`volume`
 * per frame from the frame's own time, so the values cannot drift from the frames they belong
 * to (commands sent from another filter could).
 */
import { sampleTrack } from '../../timeline/track';
import type { Track } from '../../timeline/types';

/** value = a + b·(v − from) from `from` until the next segment's `from`. */
export interface Segment {
  from: number;
  a: number;
  b: number;
}

const num = (n: number): string => {
  const s = Number(n.toFixed(5)).toString();
  return s === '-0' ? '0' : s;
};

/**
 * Fits straight lines to per-frame values, each within `tolerance` of every value it covers
 * (greedy: a line runs as long as it can). Linear key frames give one segment per key frame pair.
 */
export function fitSegments(values: readonly number[], tolerance: number): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < values.length) {
    let end = i; // last frame covered
    // The slopes through values[i] that pass within `tolerance` of every frame so far: one
    // interval, narrowed frame by frame (linear time; a 75-minute layer has 135 000 frames).
    let lo = -Infinity;
    let hi = Infinity;
    for (let j = i + 1; j < values.length; j++) {
      const slope = (values[j] - values[i]) / (j - i);
      if (slope < lo || slope > hi) break;
      lo = Math.max(lo, (values[j] - tolerance - values[i]) / (j - i));
      hi = Math.min(hi, (values[j] + tolerance - values[i]) / (j - i));
      end = j;
    }
    const b = end > i ? (values[end] - values[i]) / (end - i) : 0;
    segments.push({ from: i, a: values[i], b });
    i = end + 1;
  }
  return segments;
}

/**
 * Segments as one expression of `variable`: a balanced tree of `if`s, so depth grows as log n.
 * `splitEarly` moves each boundary down: for whole frame numbers computed from a time, half a
 * frame, so a time that rounds low still lands in the right segment.
 */
export function segmentsExpr(segments: readonly Segment[], variable: string, splitEarly = 0.5): string {
  const leaf = (s: Segment) =>
    s.b === 0 ? num(s.a) : `(${num(s.a)}+${num(s.b)}*(${variable}-${num(s.from)}))`;
  const tree = (lo: number, hi: number): string => {
    if (hi - lo === 1) return leaf(segments[lo]);
    const mid = (lo + hi) >> 1;
    return `if(lt(${variable},${num(segments[mid].from - splitEarly)}),${tree(lo, mid)},${tree(mid, hi)})`;
  };
  return segments.length === 0 ? '0' : tree(0, segments.length);
}

/** Per-frame values (frame 0 = the variable's 0) as an expression, exact to `tolerance`. */
export const framesExpr = (values: readonly number[], variable: string, tolerance = 0.25): string =>
  segmentsExpr(fitSegments(values, tolerance), variable);

/**
 * A key-frame track (held outside) as an expression of a continuous variable: straight between
 * key frames; a curved stretch read at every whole frame, straight between.
 */
export function trackExpr(track: Track, variable: string): string {
  const { frames, values } = sampleTrack(track);
  if (frames.length === 0) return '0';
  const segments: Segment[] = [{ from: -Infinity, a: values[0], b: 0 }];
  for (let i = 0; i + 1 < frames.length; i++) {
    segments.push({ from: frames[i], a: values[i], b: (values[i + 1] - values[i]) / (frames[i + 1] - frames[i]) });
  }
  segments.push({ from: frames[frames.length - 1], a: values[values.length - 1], b: 0 });
  return segmentsExpr(segments, variable, 0);
}
