import { describe, expect, it } from 'vitest';
import { parseDraft } from '../../src/draft/schema';
import { pictureFilters } from '../../src/timeline/filters';
import type { MaterialEntry } from '../../src/timeline/materials';
import type { WarningCode } from '../../src/timeline/warnings';

const box = { width: 200, height: 100 };
const entry = (list: string, item: Record<string, unknown>): MaterialEntry => ({ list, item: { id: 'x', ...item } });

function filters(entries: MaterialEntry[], keyframes: unknown[] = []) {
  // Key frames go through the schema, as the compiler sees them.
  const groups = parseDraft({
    tracks: [{ type: 'video', segments: [{ target_timerange: { start: 0, duration: 1 }, common_keyframes: keyframes }] }],
    materials: {},
  }).tracks[0].segments[0].common_keyframes;
  const warnings: [WarningCode, string][] = [];
  const out = pictureFilters({ entries, keyframes: groups, fps: 30, box, warn: (c, m) => warnings.push([c, m]) });
  return { out, warnings };
}

const constant = (v: number) => ({ frames: [0], values: [v] });

describe('pictureFilters: filters, effects and adjustments → CSS filters', () => {
  it('draws 黑白 as grayscale at the filter intensity, with no warning', () => {
    expect(filters([entry('effects', { type: 'filter', name: '黑白', value: 0.8 })])).toEqual({
      out: [{ fn: 'grayscale', amount: constant(0.8) }],
      warnings: [],
    });
  });

  it('matches names loosely and draws a numbered variant like its base name, reported', () => {
    const { out, warnings } = filters([entry('effects', { type: 'filter', name: ' 黑白 Ⅱ' })]);
    expect(out).toEqual([{ fn: 'grayscale', amount: constant(1) }]);
    expect(warnings).toEqual([['filter-approximated', 'filter "黑白 Ⅱ" drawn like 黑白']]);
  });

  it('draws 负片 as invert and 复古 as sepia (reported as an approximation)', () => {
    const { out, warnings } = filters([
      entry('effects', { type: 'filter', name: '负片' }),
      entry('effects', { type: 'filter', name: '复古', value: 0.5 }),
    ]);
    expect(out).toEqual([
      { fn: 'invert', amount: constant(1) },
      { fn: 'sepia', amount: constant(0.3) },
    ]);
    expect(warnings).toEqual([['filter-approximated', 'filter "复古" drawn as a sepia tone']]);
  });

  it('draws the 模糊 effect as a blur of its strength × 5 % of the box short side', () => {
    const blur = entry('video_effects', {
      type: 'video_effect',
      name: '模糊',
      adjust_params: [{ name: 'effects_adjust_blur', value: 0.4, default_value: 0.5 }],
    });
    // 0.4 · 0.05 · 100 = 2 px; without the parameter JianYing's default 0.5 → 2.5 px.
    expect(filters([blur]).out).toEqual([{ fn: 'blur', amount: { frames: [0], values: [expect.closeTo(2, 9)] } }]);
    expect(filters([entry('video_effects', { type: 'video_effect', name: '模糊' })]).out).toEqual([
      { fn: 'blur', amount: constant(2.5) },
    ]);
    expect(filters([blur]).warnings.map((w) => w[0])).toEqual(['effect-approximated']);
  });

  it('turns static adjustments into CSS factors and lets key frames override them', () => {
    const { out, warnings } = filters(
      [
        entry('effects', { type: 'brightness', value: 0.4 }),
        entry('effects', { type: 'saturation', value: -1 }),
        entry('effects', { type: 'contrast', value: 0 }),
      ],
      [
        {
          property_type: 'KFTypeContrast',
          keyframe_list: [
            { time_offset: 1_000_000, values: [1] },
            { time_offset: 0, values: [0] },
          ],
        },
      ],
    );
    expect(out).toEqual([
      // brightness 1 + 0.5 · 0.4; contrast 1 + 0.5 · (0 → 1) over 30 frames; saturation 1 + (−1).
      { fn: 'brightness', amount: constant(1.2) },
      { fn: 'contrast', amount: { frames: [0, 30], values: [1, 1.5] } },
      { fn: 'saturate', amount: constant(0) },
    ]);
    expect(warnings).toEqual([['adjust-approximated', 'brightness, contrast, saturation drawn as CSS filters (strength estimated)']]);
  });

  it('draws nothing for neutral adjustments', () => {
    expect(filters([entry('effects', { type: 'brightness', value: 0 })])).toEqual({ out: [], warnings: [] });
  });

  it('keeps filters before adjustments, and skips what it cannot draw', () => {
    const { out, warnings } = filters([
      entry('effects', { type: 'brightness', value: -0.2 }),
      entry('effects', { type: 'filter', name: '胶片' }),
      entry('video_effects', { type: 'video_effect', name: '闪白' }),
      entry('effects', { type: 'sharpen', value: 0.3 }),
      entry('effects', { type: 'filter', name: '黑白' }),
    ]);
    expect(out.map((f) => f.fn)).toEqual(['grayscale', 'brightness']);
    expect(out[1].amount).toEqual(constant(0.9));
    expect(warnings.map((w) => w[0])).toEqual(['filter-skipped', 'effect-skipped', 'adjust-skipped', 'adjust-approximated']);
  });
});
