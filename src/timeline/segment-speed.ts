/**
 * A segment's speed: its own `speed` (draft-format.md §4), or the speed curve (曲线变速) of its
 * `speeds` material, played as a curve (speed-curve.ts). JianYing writes a curve with `mode` 1 and
 * the curve's mean speed in `speed`.
 */
import type { DraftSegment } from '../draft/schema';
import { findExtra } from './extra-materials';
import type { MaterialIndex } from './materials';
import { speedPoints } from './speed-curve';
import { usToSeconds } from './time';
import type { SpeedCurve } from './types';
import type { WarningCode } from './warnings';

type Warn = (code: WarningCode, message: string) => void;

export interface SegmentSpeed {
  /** Source seconds per output second (a curve's mean). */
  playbackRate: number;
  speedCurve?: SpeedCurve;
}

export function segmentSpeed(
  segment: DraftSegment,
  index: MaterialIndex,
  window: { durationFrames: number },
  fps: number,
  warn: Warn,
): SegmentSpeed {
  let playbackRate = segment.speed;
  if (!Number.isFinite(playbackRate) || playbackRate <= 0) {
    warn('speed-invalid', `speed ${playbackRate} unusable: 1 used`);
    playbackRate = 1;
  }
  const material = findExtra(segment.extra_material_refs, index, 'speeds');
  const raw = material?.curve_speed;
  // mode 0 is a constant speed: a curve left behind from before is not played.
  if (raw === null || raw === undefined || material?.mode === 0) return { playbackRate };
  const points = speedPoints(raw);
  if (!points) {
    warn('speed-curve-skipped', 'speed curve (curve_speed) has no usable points: played at the segment speed');
    return { playbackRate };
  }
  // The curve fills the segment's drawn frames, covering its whole source range.
  const durationSec = window.durationFrames / fps;
  const sourceUs = segment.source_timerange?.duration;
  const sourceSec = sourceUs && sourceUs > 0 ? usToSeconds(sourceUs) : durationSec * playbackRate;
  return { playbackRate: sourceSec / durationSec, speedCurve: { points, sourceSec, durationSec, leadSec: 0 } };
}
