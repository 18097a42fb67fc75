/**
 * Keyframes (draft-format.md §6) → Tracks in layer-relative frames.
 * `time_offset` counts µs from the segment's target start; values override the static clip value.
 */
import type { DraftKeyframe, DraftKeyframeGroup } from '../draft/schema';
import { halfCanvasXToPixels, halfCanvasYToPixels, type SizePx } from './geometry';
import { usToFrames } from './time';
import { mapTrack } from './track';
import type { Track, TrackCurve } from './types';
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

/** Curve names that mean a straight line between key frames, whatever their handles say. */
const LINEAR_CURVES = new Set(['', 'line', 'linear', 'none']);

type Handle = { x: number; y: number };
const NO_HANDLE: Handle = { x: 0, y: 0 };

interface Key {
  frame: number;
  timeUs: number;
  value: number;
  /** Bézier handles, zero for a straight key frame. */
  left: Handle;
  right: Handle;
}

const curvedKey = (kf: DraftKeyframe) => !LINEAR_CURVES.has((kf.curveType ?? '').toLowerCase());

/**
 * The stretch between two key frames. JianYing's curved key frames (curveType FreeCurveIn /
 * FreeCurveOut / FreeCurveInOut) carry Bézier handles relative to their key frame: x in µs
 * (right_control forward, left_control backward, so negative), y in the property's own units. A
 * CapCut UI capture (Davidb-2107/capcut-cli-david, test-fixtures/oracles/cubic-out-triplet-
 * frame-aligned.json: scale 1.0 → 1.3 over 5 s with "Cubic Out" stores right_control (1 600 000,
 * 0.282) and left_control (−2 000 000, 0)) reads as CSS cubic-bezier(0.32, 0.94, 0.6, 1): the
 * stretch is the cubic Bézier from the first key through key + right_control and next key +
 * left_control to the next key. Zero handles give a straight line; "Line" keys carry zero handles.
 */
function stretchCurve(a: Key, b: Key): TrackCurve | null {
  if (a.right.x === 0 && a.right.y === 0 && b.left.x === 0 && b.left.y === 0) return null;
  const spanUs = b.timeUs - a.timeUs;
  if (spanUs <= 0) return null;
  const share = (x: number) => Math.min(1, Math.max(0, x));
  return { x1: share(a.right.x / spanUs), y1: a.value + a.right.y, x2: share(1 + b.left.x / spanUs), y2: b.value + b.left.y };
}

/**
 * Sort by time, convert to frames, and de-duplicate: when two key frames land on the same frame
 * the later one in time (or, at equal times, in the list) wins. Curved stretches keep their
 * Bézier (stretchCurve). Returns null for no key frames.
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
  const keys: Key[] = [];
  for (const { kf, value } of usable) {
    const curved = curvedKey(kf);
    const key: Key = {
      frame: usToFrames(kf.time_offset, fps),
      timeUs: kf.time_offset,
      value,
      left: curved ? finiteHandle(kf.left_control) : NO_HANDLE,
      right: curved ? finiteHandle(kf.right_control) : NO_HANDLE,
    };
    if (keys.length > 0 && keys[keys.length - 1].frame === key.frame) keys[keys.length - 1] = key;
    else keys.push(key);
  }
  const track: Track = { frames: keys.map((k) => k.frame), values: keys.map((k) => k.value) };
  const curves = keys.slice(1).map((b, i) => stretchCurve(keys[i], b));
  if (curves.some((c) => c)) track.curves = curves;
  return track;
}

const finiteHandle = (h: Handle): Handle => (Number.isFinite(h.x) && Number.isFinite(h.y) ? h : NO_HANDLE);

const first = (values: number[]) => values[0];

/** One property's key frames (all its groups merged) as a track of its first values; null when absent. */
export function propertyTrack(groups: DraftKeyframeGroup[], property: string, fps: number): Track | null {
  const list = groups.filter((g) => g.property_type === property).flatMap((g) => g.keyframe_list);
  return keyframesToTrack(list, fps, first);
}
/** KFTypeScale's y; its handles' y offsets are read as for the x value. */
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
  return track && mapTrack(track, fn);
}
