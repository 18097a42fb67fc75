/**
 * Keyframes (draft-format.md §6) → Tracks in layer-relative frames.
 * `time_offset` counts µs from the segment's target start; values override the static clip value.
 */
import type { DraftKeyframe, DraftKeyframeGroup } from '../draft/schema';
import { halfCanvasXToPixels, halfCanvasYToPixels, type SizePx } from './geometry';
import { usToFrames } from './time';
import type { Track } from './types';
import type { WarningCode } from './warnings';

export interface KeyframeTracks {
  centerXPx?: Track;
  centerYPx?: Track;
  scaleX?: Track;
  scaleY?: Track;
  rotationDeg?: Track;
  opacity?: Track;
  /** Linear gain (KFTypeVolume). */
  volume?: Track;
}

type Warn = (code: WarningCode, message: string) => void;

/** Curve names that already mean a straight line between key frames. */
const LINEAR_CURVES = new Set(['', 'line', 'linear', 'none']);

/**
 * Sort by time, convert to frames, and de-duplicate: when two key frames land on the same frame
 * the later one in time (or, at equal times, in the list) wins. Returns null for no key frames.
 */
export function keyframesToTrack(
  list: DraftKeyframe[],
  fps: number,
  valueOf: (values: number[]) => number | undefined,
): Track | null {
  const usable = list
    .map((kf, order) => ({ kf, order, value: valueOf(kf.values) }))
    .filter((e): e is { kf: DraftKeyframe; order: number; value: number } =>
      e.value !== undefined && Number.isFinite(e.value) && Number.isFinite(e.kf.time_offset),
    )
    .sort((a, b) => a.kf.time_offset - b.kf.time_offset || a.order - b.order);
  if (usable.length === 0) return null;
  const frames: number[] = [];
  const values: number[] = [];
  for (const { kf, value } of usable) {
    const frame = usToFrames(kf.time_offset, fps);
    if (frames.length > 0 && frames[frames.length - 1] === frame) {
      values[values.length - 1] = value;
    } else {
      frames.push(frame);
      values.push(value);
    }
  }
  return { frames, values };
}

const first = (values: number[]) => values[0];

/** One property's key frames (all its groups merged) as a track of its first values; null when absent. */
export function propertyTrack(groups: DraftKeyframeGroup[], property: string, fps: number): Track | null {
  const list = groups.filter((g) => g.property_type === property).flatMap((g) => g.keyframe_list);
  return keyframesToTrack(list, fps, first);
}
const second = (values: number[]) => values[1] ?? values[0];

/** Every keyframe group of one segment → the tracks it overrides. */
export function segmentKeyframeTracks(
  groups: DraftKeyframeGroup[],
  opts: { fps: number; canvas: SizePx; uniformScale: boolean },
  warn: Warn,
): KeyframeTracks {
  const { fps, canvas } = opts;
  // Several groups of one property are merged; de-duplication then keeps the later group's key.
  const byProperty = new Map<string, DraftKeyframe[]>();
  for (const group of groups) {
    if (group.keyframe_list.length === 0) continue;
    const merged = byProperty.get(group.property_type) ?? [];
    merged.push(...group.keyframe_list);
    byProperty.set(group.property_type, merged);
  }

  const out: KeyframeTracks = {};
  const track = (property: string, valueOf: (values: number[]) => number | undefined) => {
    const list = byProperty.get(property);
    return list ? (keyframesToTrack(list, fps, valueOf) ?? undefined) : undefined;
  };

  for (const [property, list] of byProperty) {
    const curved = list.find((kf) => !LINEAR_CURVES.has((kf.curveType ?? '').toLowerCase()));
    if (curved) {
      warn(
        'keyframe-curve-approximated',
        `${property} key frames use curve "${curved.curveType}": drawn linear`,
      );
    }
  }

  for (const property of byProperty.keys()) {
    switch (property) {
      case 'KFTypePositionX':
        out.centerXPx = mapValues(track(property, first), (x) => halfCanvasXToPixels(x, canvas));
        break;
      case 'KFTypePositionY':
        out.centerYPx = mapValues(track(property, first), (y) => halfCanvasYToPixels(y, canvas));
        break;
      case 'KFTypeScale':
      case 'KFTypeScaleX':
      case 'KFTypeScaleY':
        break; // resolved together below
      case 'KFTypeRotation':
        out.rotationDeg = track(property, first);
        break;
      case 'KFTypeAlpha':
        out.opacity = track(property, first);
        break;
      case 'KFTypeVolume':
        out.volume = track(property, first);
        break;
      case 'KFTypeBrightness':
      case 'KFTypeContrast':
      case 'KFTypeSaturation':
        break; // picture filters of media layers (filters.ts)
      default:
        warn('keyframe-skipped', `${property || 'unnamed'} key frames are not drawn`);
    }
  }

  // `KFTypeScale` carries [sx, sy]; `KFTypeScaleX`/`Y` override one axis; with uniform scale on,
  // JianYing writes only KFTypeScaleX and means both axes.
  const both = track('KFTypeScale', first);
  const bothY = track('KFTypeScale', second);
  const x = track('KFTypeScaleX', first);
  const y = track('KFTypeScaleY', first);
  const scaleX = x ?? both;
  const scaleY = y ?? (opts.uniformScale ? x : undefined) ?? bothY;
  if (scaleX) out.scaleX = scaleX;
  if (scaleY) out.scaleY = scaleY;

  // Never leave keys set to undefined: the timeline must be plain JSON.
  for (const key of Object.keys(out) as (keyof KeyframeTracks)[]) {
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

function mapValues(track: Track | undefined, fn: (v: number) => number): Track | undefined {
  return track && { frames: track.frames, values: track.values.map(fn) };
}
