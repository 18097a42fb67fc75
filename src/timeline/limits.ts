/**
 * Limits a real JianYing draft never reaches, checked before any work is done for a draft (and
 * for each material once it is read), so that one absurd number cannot hold a render slot, fill
 * the memory or take the process down. A broken limit is a 400 naming the rule and its setting.
 */
import type { Draft } from '../draft/schema';
import { GenVideoError } from '../errors';
import { US_PER_SECOND } from './time';

export interface DraftLimits {
  /** Canvas width and height, pixels (JianYing exports at most 4K). */
  maxCanvasSidePx: number;
  maxFps: number;
  /** The video's length: every segment's end on the timeline. */
  maxDurationSec: number;
  /** Segments over all tracks. */
  maxSegments: number;
  /** A picture (photo, or a video's frame) in megapixels. */
  maxPictureMegapixels: number;
}

export const DEFAULT_LIMITS: DraftLimits = {
  maxCanvasSidePx: 4096,
  maxFps: 120,
  maxDurationSec: 4 * 3600,
  maxSegments: 20_000,
  maxPictureMegapixels: 100,
};

/** The setting that changes each limit (README "Limits"). */
export const LIMIT_SETTINGS: Record<keyof DraftLimits, string> = {
  maxCanvasSidePx: 'MAX_CANVAS_SIDE',
  maxFps: 'MAX_FPS',
  maxDurationSec: 'MAX_VIDEO_SECONDS',
  maxSegments: 'MAX_SEGMENTS',
  maxPictureMegapixels: 'MAX_PICTURE_MEGAPIXELS',
};

/** JianYing plays segments at 0.1× to 100×. */
export const MIN_SPEED = 0.01;
export const MAX_SPEED = 100;

const broken = (rule: string, limit?: keyof DraftLimits): never => {
  throw new GenVideoError('DRAFT_INVALID', limit ? `${rule} (limit ${LIMIT_SETTINGS[limit]})` : rule);
};

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6))));

/**
 * Throws DRAFT_INVALID (400) with the first rule the draft breaks. Cheap: one pass over the
 * numbers that decide how much work a render is.
 */
export function checkDraftLimits(draft: Draft, limits: DraftLimits = DEFAULT_LIMITS): void {
  const { width, height } = draft.canvas_config ?? {};
  for (const [name, side] of [['width', width], ['height', height]] as const) {
    if (side !== undefined && side > limits.maxCanvasSidePx) {
      broken(`canvas ${name} ${fmt(side)} px is more than ${limits.maxCanvasSidePx} px`, 'maxCanvasSidePx');
    }
  }
  if (draft.fps !== undefined && Number.isFinite(draft.fps) && draft.fps > limits.maxFps) {
    broken(`fps ${fmt(draft.fps)} is more than ${limits.maxFps}`, 'maxFps');
  }

  const maxUs = limits.maxDurationSec * US_PER_SECOND;
  // A segment at the highest speed reads this much source.
  const maxSourceUs = maxUs * MAX_SPEED;
  const hours = (us: number) => `${fmt(us / US_PER_SECOND / 3600)} h`;
  let segments = 0;
  for (const track of draft.tracks) {
    segments += track.segments.length;
    if (segments > limits.maxSegments) broken(`more than ${limits.maxSegments} segments`, 'maxSegments');
    for (const s of track.segments) {
      const where = `segment ${s.id || '(no id)'}`;
      const { start, duration } = s.target_timerange;
      if (!(start >= -maxUs && duration >= -maxUs && start + duration <= maxUs)) {
        broken(
          `${where} ends at ${fmt((start + duration) / US_PER_SECOND)} s, after the longest video allowed (${hours(maxUs)})`,
          'maxDurationSec',
        );
      }
      const source = s.source_timerange;
      if (source && !(Math.abs(source.start) <= maxSourceUs && Math.abs(source.duration ?? 0) <= maxSourceUs)) {
        broken(`${where}: source_timerange ${fmt(source.start)} µs is outside any material (at most ${hours(maxSourceUs)})`);
      }
      if (Number.isFinite(s.speed) && s.speed > 0 && (s.speed < MIN_SPEED || s.speed > MAX_SPEED)) {
        broken(`${where}: speed ${fmt(s.speed)} is outside ${MIN_SPEED}–${MAX_SPEED}`);
      }
      for (const group of s.common_keyframes) {
        for (const k of group.keyframe_list) {
          if (!(Math.abs(k.time_offset) <= maxUs)) broken(`${where}: key frame at ${fmt(k.time_offset)} µs is past ${hours(maxUs)}`, 'maxDurationSec');
        }
      }
    }
  }

  const m = draft.materials;
  const durations: [string, number | undefined][] = [
    ...m.transitions.map((t) => [`transition ${t.id}`, t.duration] as [string, number]),
    ...m.audio_fades.flatMap((f) => [[`audio fade ${f.id}`, f.fade_in_duration], [`audio fade ${f.id}`, f.fade_out_duration]] as [string, number][]),
    ...m.material_animations.flatMap((c) => c.animations.flatMap((a) => [[`animation ${a.name || a.id}`, a.start], [`animation ${a.name || a.id}`, a.duration]] as [string, number][])),
  ];
  for (const [what, us] of durations) {
    if (us !== undefined && !(Math.abs(us) <= maxUs)) broken(`${what}: ${fmt(us)} µs is longer than ${hours(maxUs)}`, 'maxDurationSec');
  }
  for (const v of m.videos) {
    if (v.width && v.height) checkPictureSize(v.material_name || v.name || v.id, v.width, v.height, limits);
  }
}

/** A material's picture, once its size is known (the draft's word, then the file's own). */
export function checkPictureSize(name: string, widthPx: number, heightPx: number, limits: DraftLimits = DEFAULT_LIMITS): void {
  const megapixels = (widthPx * heightPx) / 1e6;
  if (megapixels > limits.maxPictureMegapixels) {
    throw new GenVideoError(
      'MATERIAL_UNREACHABLE',
      `${name}: ${fmt(widthPx)}×${fmt(heightPx)} is ${fmt(megapixels)} megapixels, more than ${limits.maxPictureMegapixels} (limit ${LIMIT_SETTINGS.maxPictureMegapixels})`,
    );
  }
}
