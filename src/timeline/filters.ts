/**
 * A media segment's filters (滤镜), effects (特效) and adjustments (调节) → CSS filter functions.
 * Only names with a close CSS equivalent are drawn; every other one keeps a skip warning, and
 * drawn ones whose strength or look is estimated get an `*-approximated` warning.
 *
 * Where they live in a draft: `materials.effects[]` holds filters (`type: "filter"`, `value` =
 * intensity 0..1) and adjust items (`type: "brightness" | "contrast" | "saturation" | …`, `value`
 * −1..1); `materials.video_effects[]` holds effects (`type: "video_effect"`, parameters in
 * `adjust_params[{name, value}]`). KFTypeBrightness/Contrast/Saturation key frames (−1..1)
 * override the adjust items' static values.
 */
import type { DraftKeyframeGroup } from '../draft/schema';
import { nameLookup } from './effect-names';
import type { SizePx } from './geometry';
import { propertyTrack } from './keyframes';
import type { MaterialEntry } from './materials';
import { constantTrack, mapTrack } from './track';
import type { PictureFilter, PictureFilterFn, Track } from './types';
import type { WarningCode } from './warnings';

type Warn = (code: WarningCode, message: string) => void;

/** Material lists whose items this module draws or reports. */
export const FILTER_LISTS: ReadonlySet<string> = new Set(['effects', 'video_effects', 'filters']);

interface Recipe {
  /** CSS functions for an intensity 0..1 (filters) or the effect's own parameters. */
  css: (item: Record<string, unknown>, box: SizePx) => { fn: PictureFilterFn; amount: number }[];
  /** Why the picture differs from JianYing's, when it does. */
  approximation?: string;
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
/** A filter's strength: `value` 0..1 (pyJianYingDraft writes intensity / 100), default full. */
const intensity = (item: Record<string, unknown>) => clamp01(num(item.value, 1));

/** An effect parameter (`adjust_params[{name, value}]`), or its JianYing default. */
function effectParam(item: Record<string, unknown>, name: string, fallback: number): number {
  const params = Array.isArray(item.adjust_params) ? item.adjust_params : [];
  const found = params.find((p) => typeof p === 'object' && p !== null && (p as { name?: unknown }).name === name);
  return clamp01(num((found as { value?: unknown } | undefined)?.value, fallback));
}

const grayscale: Recipe['css'] = (item) => [{ fn: 'grayscale', amount: intensity(item) }];
const invert: Recipe['css'] = (item) => [{ fn: 'invert', amount: intensity(item) }];
/** Warm, faded tones: sepia at 60 % is close to the usual 复古/怀旧 look. */
const sepia: Recipe['css'] = (item) => [{ fn: 'sepia', amount: 0.6 * intensity(item) }];

/** 滤镜 (`type: filter`) by name. */
const FILTERS: Record<string, Recipe> = {
  黑白: { css: grayscale },
  默片: { css: grayscale, approximation: 'drawn as plain black and white (film grain and contrast left out)' },
  负片: { css: invert },
  反色: { css: invert },
  复古: { css: sepia, approximation: 'drawn as a sepia tone' },
  怀旧: { css: sepia, approximation: 'drawn as a sepia tone' },
};

/**
 * Blur radius at full strength, as a fraction of the box's short side. JianYing's 模糊 at its
 * default 50 % leaves shapes recognisable but no detail; the scale is an estimate.
 */
const EFFECT_BLUR_OF_SHORT_SIDE = 0.05;

/** 特效 (`type: video_effect`) by name. */
const EFFECTS: Record<string, Recipe> = {
  模糊: {
    css: (item, box) => [
      { fn: 'blur', amount: effectParam(item, 'effects_adjust_blur', 0.5) * EFFECT_BLUR_OF_SHORT_SIDE * Math.min(box.width, box.height) },
    ],
    approximation: 'blur strength estimated',
  },
  黑白: { css: () => [{ fn: 'grayscale', amount: 1 }] },
  负片: { css: () => [{ fn: 'invert', amount: 1 }] },
  反色: { css: () => [{ fn: 'invert', amount: 1 }] },
};

const findFilter = nameLookup(FILTERS);
const findEffect = nameLookup(EFFECTS);

/**
 * 调节: JianYing's −1..1 slider value → CSS argument. The curves are estimates (JianYing's
 * brightness is not a plain multiplication), so every drawn adjustment is reported.
 */
const ADJUSTMENTS = {
  brightness: { keyframe: 'KFTypeBrightness', fn: 'brightness', css: (v: number) => 1 + 0.5 * v },
  contrast: { keyframe: 'KFTypeContrast', fn: 'contrast', css: (v: number) => 1 + 0.5 * v },
  saturation: { keyframe: 'KFTypeSaturation', fn: 'saturate', css: (v: number) => 1 + v },
} as const satisfies Record<string, { keyframe: string; fn: PictureFilterFn; css: (v: number) => number }>;

type Adjustment = keyof typeof ADJUSTMENTS;

/** Adjust items are also found by their Chinese names. */
const ADJUSTMENT_NAMES: Record<string, Adjustment> = { 亮度: 'brightness', 对比度: 'contrast', 饱和度: 'saturation' };

/** Adjust item types JianYing writes that have no CSS equivalent here. */
const OTHER_ADJUSTMENTS = new Set([
  'sharpen', 'highlight', 'shadow', 'temperature', 'tone', 'fade', 'light_sensation', 'vignetting',
  'particle', 'adjust', 'lut', 'hsl', 'curves',
]);

const label = (item: Record<string, unknown>) =>
  String(item.name || item.effect_name || item.resource_id || item.effect_id || item.type || item.id);

function adjustmentOf(item: Record<string, unknown>): Adjustment | undefined {
  const type = String(item.type ?? '');
  if (type in ADJUSTMENTS) return type as Adjustment;
  return ADJUSTMENT_NAMES[String(item.name ?? '').trim()];
}

/**
 * The segment's picture filters, in the order JianYing stacks them: filters and effects in
 * reference order, then the adjustments. Empty when nothing applies.
 */
export function pictureFilters(args: {
  entries: MaterialEntry[];
  keyframes: DraftKeyframeGroup[];
  fps: number;
  box: SizePx;
  warn: Warn;
}): PictureFilter[] {
  const { entries, keyframes, fps, box, warn } = args;
  const out: PictureFilter[] = [];
  const staticAdjust: Partial<Record<Adjustment, number>> = {};

  for (const entry of entries) {
    if (!FILTER_LISTS.has(entry.list)) continue;
    const item = entry.item;
    const type = String(item.type ?? '');
    const adjustment = adjustmentOf(item);
    if (adjustment) {
      staticAdjust[adjustment] = Math.max(-1, Math.min(1, num(item.value, 0)));
      continue;
    }
    const name = String(item.name ?? '').trim();
    const isEffect = entry.list === 'video_effects' || type === 'video_effect' || type === 'face_effect';
    const match = isEffect ? findEffect(name) : type === 'filter' || entry.list === 'filters' ? findFilter(name) : null;
    if (!match) {
      if (OTHER_ADJUSTMENTS.has(type)) warn('adjust-skipped', `adjustment "${type}" not applied`);
      else if (isEffect || type !== 'filter') warn('effect-skipped', `effect "${label(item)}" not applied`);
      else warn('filter-skipped', `filter "${label(item)}" not applied`);
      continue;
    }
    const recipe = match.spec;
    for (const { fn, amount } of recipe.css(item, box)) out.push({ fn, amount: constantTrack(amount) });
    // A numbered variant (黑白II) is drawn like its base name.
    const approximations = [match.variantOf ? `drawn like ${match.variantOf}` : '', recipe.approximation ?? ''].filter(Boolean);
    if (approximations.length > 0) {
      warn(isEffect ? 'effect-approximated' : 'filter-approximated', `${isEffect ? 'effect' : 'filter'} "${name}" ${approximations.join(', ')}`);
    }
  }

  const drawn: string[] = [];
  for (const [key, adjustment] of Object.entries(ADJUSTMENTS) as [Adjustment, (typeof ADJUSTMENTS)[Adjustment]][]) {
    const track: Track | null =
      propertyTrack(keyframes, adjustment.keyframe, fps) ??
      (staticAdjust[key] !== undefined ? constantTrack(staticAdjust[key]) : null);
    // A neutral adjustment (JianYing leaves 0-valued items behind) draws nothing.
    if (!track || track.values.every((v) => v === 0)) continue;
    out.push({ fn: adjustment.fn, amount: mapTrack(track, (v) => adjustment.css(Math.max(-1, Math.min(1, v)))) });
    drawn.push(key);
  }
  if (drawn.length > 0) warn('adjust-approximated', `${drawn.join(', ')} drawn as CSS filters (strength estimated)`);
  return out;
}
