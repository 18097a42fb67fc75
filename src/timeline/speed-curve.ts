/**
 * 曲线变速 (curve speed): a segment's `speeds` material carries `curve_speed.speed_points`, a list
 * of `{x, y}`: x a share (0..1) of the segment's source, y the speed at that point of the source.
 *
 * How JianYing plays it, found from its one known export (draft-format.md §12: a 9 s source with
 * points (0,1) (0.25,1) (0.5,4.375) (0.75,1) (1,1) became 6 166 666 µs = 185 frames, stored speed
 * 1.4576270189136267): between two points the speed changes **linearly with output time**, from
 * y0 to y1, while the picture moves through the source share between their x. A stretch of Δx
 * of the source therefore lasts Δx · 2 / (y0 + y1) of the source's length, and the whole curve
 * lasts Σ Δx · 2 / (y0 + y1): 0.25 + 0.25 · 2/5.375 · 2 + 0.25 = 59/86 here, so 9 s × 59/86 =
 * 6.1744 s = 185.2 frames, which JianYing stores as 185 whole frames, and the stored speed is
 * 86/59 = 1.4576271 (equal to float precision). Speed linear in the source share instead (the
 * curve as drawn, integrated) gives 6.47 s; x read as a share of output time gives 4.88 s.
 * The source position is then a quadratic of time on each stretch: smooth, no jumps in speed.
 * The export gives the length only; the position of each frame follows from this rule but was
 * not read off an export.
 *
 * A segment's curve is stretched to exactly its drawn frames (6.1744 s → 185 frames), so the
 * whole source range plays within the segment. Before and after the curve (a transition's
 * lead-in and tail) the source runs on at the first and last point's speed.
 */
import type { SpeedCurve } from './types';

export interface SpeedPoint {
  x: number;
  y: number;
}

/** JianYing's curve editor goes from 0.1× to 10×; slower than this would be a still picture. */
const MIN_SPEED = 0.01;

/**
 * The draft's `curve_speed` (`{speed_points: [{x, y}]}`, or the bare list) as sorted points from
 * x = 0 to x = 1, or null when it holds no usable curve.
 */
export function speedPoints(raw: unknown): SpeedPoint[] | null {
  const list = Array.isArray(raw) ? raw : isRecord(raw) && Array.isArray(raw.speed_points) ? raw.speed_points : null;
  if (!list) return null;
  const byX = new Map<number, number>();
  for (const p of list) {
    if (!isRecord(p)) continue;
    const x = Number(p.x);
    const y = Number(p.y);
    if (!Number.isFinite(x) || !Number.isFinite(y) || y <= 0) continue;
    byX.set(Math.min(1, Math.max(0, x)), Math.max(MIN_SPEED, y));
  }
  const points = [...byX].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x, y }));
  if (points.length < 2) return null;
  // Held speeds out to the ends, so the curve covers the whole source.
  if (points[0].x > 0) points.unshift({ x: 0, y: points[0].y });
  if (points[points.length - 1].x < 1) points.push({ x: 1, y: points[points.length - 1].y });
  return points;
}

/**
 * How long the curve lasts, as a share of the source's length (1 = as long as the source at
 * 1×): the inverse of its mean speed. 59/86 for the measured sample.
 */
export function curveTimeShare(points: readonly SpeedPoint[]): number {
  let total = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    total += stretchTime(points[i], points[i + 1]);
  }
  return total;
}

const stretchTime = (a: SpeedPoint, b: SpeedPoint): number => ((b.x - a.x) * 2) / (a.y + b.y);

/**
 * Share of the source reached at share `p` of the curve's time (0..1); before 0 and after 1 the
 * source runs on at the end points' speeds.
 */
export function curveSourceShare(points: readonly SpeedPoint[], p: number): number {
  const total = curveTimeShare(points);
  let u = p * total;
  if (u <= 0) return points[0].y * u;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    const tau = stretchTime(a, b);
    if (u <= tau || i + 2 === points.length) {
      if (u > tau) return b.x + b.y * (u - tau);
      // Speed a.y → b.y linearly over tau: position is the integral of it.
      return a.x + a.y * u + ((b.y - a.y) * u * u) / (2 * tau);
    }
    u -= tau;
  }
  return 1;
}

/** Source seconds a segment's curve has played `t` output seconds after it begins. */
export function curveSourceSec(curve: SpeedCurve, t: number): number {
  return curve.sourceSec * curveSourceShare(curve.points, t / curve.durationSec);
}

/** Source seconds per output second where the curve begins and ends. */
export function curveEndRates(curve: SpeedCurve): { startRate: number; endRate: number } {
  const k = (curve.sourceSec / curve.durationSec) * curveTimeShare(curve.points);
  return { startRate: k * curve.points[0].y, endRate: k * curve.points[curve.points.length - 1].y };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
