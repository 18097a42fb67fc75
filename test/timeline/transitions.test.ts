import { describe, expect, it } from 'vitest';
import { compileTimeline } from '../../src/timeline/compile';
import { lookupTransition, TRANSITION_NAMES } from '../../src/timeline/transition-names';
import { holdPastMaterialEnd, leadInSource, transitionSplit } from '../../src/timeline/transitions';
import { valueAt } from '../../src/timeline/track';
import type { TransitionEffect, VideoLayer } from '../../src/timeline/types';
import { draft, segment, video } from './draft-builder';

const transition = { id: 'tr', name: '叠化', duration: 500_000, is_overlap: true, effect_id: '1', resource_id: '2' };

function twoClips(opts: { speed?: number; sourceStartUs?: number; keyframes?: boolean; gapUs?: number } = {}) {
  return compileTimeline(
    draft({
      tracks: [
        {
          id: 't',
          type: 'video',
          segments: [
            segment('a', 'v', 0, 2_000_000, { extra_material_refs: ['tr'] }),
            segment('b', 'v', 2_000_000 + (opts.gapUs ?? 0), 2_000_000, {
              speed: opts.speed ?? 1,
              source_timerange: { start: opts.sourceStartUs ?? 3_000_000, duration: 2_000_000 * (opts.speed ?? 1) },
              common_keyframes: opts.keyframes
                ? [{ property_type: 'KFTypeAlpha', keyframe_list: [{ time_offset: 0, values: [0] }, { time_offset: 1_000_000, values: [1] }] }]
                : [],
            }),
          ],
        },
      ],
      materials: { videos: [video('v')], transitions: [transition] },
    }),
  );
}

describe('transitions', () => {
  it('splits a 15-frame window 7 before / 8 after the cut', () => {
    expect(transitionSplit(15)).toEqual({ leadInFrames: 7, tailFrames: 8 });
    expect(transitionSplit(16)).toEqual({ leadInFrames: 8, tailFrames: 8 });
  });

  it('centres a 500 ms window on the cut without shortening the timeline', () => {
    const tl = twoClips();
    const [a, b] = tl.layers as VideoLayer[];
    // cut at frame 60; window 15 frames: [53, 68)
    expect(a.fromFrame).toBe(0);
    expect(a.durationFrames).toBe(68);
    expect(a.transitionOut).toEqual({ name: '叠化', kind: 'crossfade', startFrame: 53, durationFrames: 15 });
    expect(b.fromFrame).toBe(53);
    expect(b.durationFrames).toBe(67);
    expect(b.transitionIn).toEqual({ name: '叠化', kind: 'crossfade', startFrame: 0, durationFrames: 15 });
    // both windows are the same absolute frames
    expect(a.fromFrame + a.transitionOut!.startFrame).toBe(b.fromFrame + b.transitionIn!.startFrame);
    expect(tl.durationFrames).toBe(120);
    // 叠化 is drawn as what it is: nothing to report.
    expect(tl.warnings.map((w) => w.code)).not.toContain('transition-approximated');
    // the incoming layer is drawn over the outgoing one
    expect(tl.layers.map((l) => l.id)).toEqual(['a', 'b']);
  });

  it('moves the incoming source start back by the lead-in × speed, clamped at 0', () => {
    expect((twoClips().layers[1] as VideoLayer).sourceStartSec).toBeCloseTo(3 - 7 / 30, 9);
    expect((twoClips({ speed: 2 }).layers[1] as VideoLayer).sourceStartSec).toBeCloseTo(3 - (7 / 30) * 2, 9);
    expect((twoClips({ sourceStartUs: 100_000 }).layers[1] as VideoLayer).sourceStartSec).toBe(0);
  });

  it('shifts the incoming layer’s key frames with it', () => {
    const b = twoClips({ keyframes: true }).layers[1];
    expect(b.geometry.opacity).toEqual({ frames: [7, 37], values: [0, 1] });
    expect(valueAt(b.geometry.opacity, 7)).toBe(0);
  });

  it('skips a transition without an adjacent next segment', () => {
    const tl = twoClips({ gapUs: 1_000_000 });
    expect(tl.layers[0].transitionOut).toBeUndefined();
    expect(tl.layers[1].transitionIn).toBeUndefined();
    expect(tl.warnings.map((w) => w.code)).toContain('transition-skipped');
  });

  it('plays both sounds through the whole window, each from where its picture is (no cross-fade)', () => {
    const tl = twoClips();
    // JianYing: both sounds play at their own volume over the window [53, 68).
    expect(tl.audio.map((a) => [a.id, a.fromFrame, a.durationFrames])).toEqual([
      ['a', 0, 68],
      ['b', 53, 67],
    ]);
    const [a, b] = tl.audio;
    expect(a.sourceStartSec).toBe(0);
    // b's sound starts 7 frames early in its source, as its picture does: 3 s at the cut.
    expect(b.sourceStartSec).toBeCloseTo(3 - 7 / 30, 9);
    expect(b.sourceStartSec + (7 / 30) * b.playbackRate).toBeCloseTo(3, 9);
    expect(a.gain).toEqual({ frames: [0], values: [1] });
    expect(b.gain).toEqual({ frames: [0], values: [1] });
  });

  it('keeps a sound silent where its picture is frozen for want of source', () => {
    const tl = twoClips({ sourceStartUs: 100_000 });
    const b = tl.audio.find((a) => a.id === 'b')!;
    // 0.1 s of source before the cut: 3 frames of sound before it, 4 frozen frames silent.
    expect([b.fromFrame, b.durationFrames, b.sourceStartSec]).toEqual([57, 63, 0]);
  });

  it('keeps fades and volume key frames where the segment has them', () => {
    const tl = compileTimeline(
      draft({
        tracks: [
          {
            id: 't',
            type: 'video',
            segments: [
              segment('a', 'v', 0, 2_000_000, { extra_material_refs: ['tr'] }),
              segment('b', 'v', 2_000_000, 2_000_000, { extra_material_refs: ['fade'], source_timerange: { start: 3_000_000, duration: 2_000_000 } }),
            ],
          },
        ],
        materials: { videos: [video('v')], transitions: [transition], audio_fades: [{ id: 'fade', fade_in_duration: 1_000_000, fade_out_duration: 0 }] },
      }),
    );
    const b = tl.audio.find((a) => a.id === 'b')!;
    // The fade-in starts at the cut (7 frames into the sound) and lasts 30 frames; before it, silence.
    expect(b.gain).toEqual({ frames: [7, 37], values: [0, 1] });
  });
});

function named(name: string, opts: { durationUs?: number; sourceStartUs?: number; materialUs?: number; aSourceStartUs?: number } = {}) {
  return compileTimeline(
    draft({
      tracks: [
        {
          id: 't',
          type: 'video',
          segments: [
            segment('a', 'v', 0, 2_000_000, {
              extra_material_refs: ['tr'],
              source_timerange: { start: opts.aSourceStartUs ?? 0, duration: 2_000_000 },
            }),
            segment('b', 'v', 2_000_000, 2_000_000, {
              source_timerange: { start: opts.sourceStartUs ?? 3_000_000, duration: 2_000_000 },
            }),
          ],
        },
      ],
      materials: {
        videos: [video('v', opts.materialUs !== undefined ? { duration: opts.materialUs } : {})],
        transitions: [{ ...transition, name, duration: opts.durationUs ?? 500_000 }],
      },
    }),
  );
}

describe('transition names', () => {
  it('maps at least 20 common names onto their families, without warnings', () => {
    const cases: [string, Partial<TransitionEffect>][] = [
      ['叠化', { kind: 'crossfade' }],
      ['闪白', { kind: 'flash-white' }],
      ['白色闪光', { kind: 'flash-white' }],
      ['闪黑', { kind: 'flash-black' }],
      ['模糊', { kind: 'blur' }],
      ['推近', { kind: 'zoom-in' }],
      ['放大', { kind: 'zoom-in' }],
      ['拉远', { kind: 'zoom-out' }],
      ['缩小', { kind: 'zoom-out' }],
      ['左移', { kind: 'push', direction: 'left' }],
      ['右移', { kind: 'push', direction: 'right' }],
      ['上移', { kind: 'push', direction: 'up' }],
      ['下移', { kind: 'push', direction: 'down' }],
      ['向左滑动', { kind: 'slide', direction: 'left' }],
      ['左滑', { kind: 'slide', direction: 'left' }],
      ['向右', { kind: 'slide', direction: 'right' }],
      ['向左擦除', { kind: 'wipe', direction: 'left' }],
      ['向右擦除', { kind: 'wipe', direction: 'right' }],
      ['向上擦除', { kind: 'wipe', direction: 'up' }],
      ['向下擦除', { kind: 'wipe', direction: 'down' }],
      ['圆形遮罩', { kind: 'circle-reveal' }],
      ['旋转', { kind: 'rotate', clockwise: true }],
      ['逆时针旋转', { kind: 'rotate', clockwise: false }],
      ['横向拉幕', { kind: 'curtain', axis: 'horizontal' }],
      ['竖向拉幕', { kind: 'curtain', axis: 'vertical' }],
    ];
    for (const [name, expected] of cases) {
      const tl = named(name);
      expect(tl.layers[0].transitionOut, name).toMatchObject({ name, ...expected });
      expect(tl.layers[1].transitionIn, name).toMatchObject({ name, ...expected });
      // 500 ms is 15 frames: only the odd window's split is reported, as an estimate.
      expect(tl.warnings.filter((w) => w.code.startsWith('transition')).map((w) => w.code), name).toEqual(['transition-window-estimated']);
    }
  });

  it('splits an even window exactly in half, as JianYing does, without a report', () => {
    const tl = named('叠化', { durationUs: 400_000 });
    const [a, b] = tl.layers;
    // 0.4 s = 12 frames: 6 before the cut at 60, 6 after.
    expect([b.fromFrame, a.fromFrame + a.durationFrames]).toEqual([54, 66]);
    expect(tl.warnings).toEqual([]);
  });

  it("gives a transition without a duration JianYing's default for its name", () => {
    expect(named('推近', { durationUs: 0 }).layers[0].transitionOut?.durationFrames).toBe(30);
    const dissolve = named('叠化', { durationUs: 0 });
    expect(dissolve.layers[0].transitionOut?.durationFrames).toBe(15);
    expect(dissolve.warnings.map((w) => w.code)).toContain('transition-approximated');
  });

  it('reports the families that are only rough stand-ins', () => {
    for (const [name, kind] of [
      ['色彩溶解', 'color-dissolve'],
      ['翻页', 'page-turn'],
      ['故障', 'glitch'],
      ['信号故障', 'glitch'],
    ] as const) {
      const tl = named(name);
      expect(tl.layers[0].transitionOut?.kind, name).toBe(kind);
      expect(tl.warnings, name).toContainEqual({ segmentId: 'a', code: 'transition-approximated', message: expect.stringContaining(name) });
    }
  });

  it('matches spelling variants and draws numbered variants like their base, reported', () => {
    expect(lookupTransition(' 闪 白 ')).toMatchObject({ kind: 'flash-white' });
    expect(lookupTransition('闪白')?.approximate).toBeUndefined();
    expect(lookupTransition('闪白 II')).toMatchObject({ kind: 'flash-white', approximate: expect.stringContaining('闪白') });
    expect(lookupTransition('闪白Ⅱ')).toMatchObject({ kind: 'flash-white' });
    expect(lookupTransition('逆时针旋转 II')).toMatchObject({ kind: 'rotate', clockwise: false });
    expect(lookupTransition('万花筒')).toBeNull();
    expect(TRANSITION_NAMES.length).toBeGreaterThanOrEqual(20);
  });

  it('draws an unknown name as a cross-fade and says so', () => {
    const tl = named('万花筒');
    expect(tl.layers[1].transitionIn).toEqual({ name: '万花筒', kind: 'crossfade', startFrame: 0, durationFrames: 15 });
    expect(tl.warnings).toContainEqual({ segmentId: 'a', code: 'transition-approximated', message: expect.stringMatching(/万花筒.*cross-fade/) });
  });

  it('takes the duration from the material, capped by the shorter segment', () => {
    expect(named('左移', { durationUs: 1_000_000 }).layers[1].transitionIn?.durationFrames).toBe(30);
    expect(named('左移', { durationUs: 5_000_000 }).layers[1].transitionIn?.durationFrames).toBe(60);
  });
});

describe('transition source edges', () => {
  it('holds the first picture when the lead-in would reach before source 0', () => {
    // Lead-in 7 frames; the source starts at 0.1 s = 3 frames: 4 frames held, then 3 played.
    expect(leadInSource(0.1, 7, 1, 30)).toEqual({ sourceStartSec: 0, freezeBeforeFrame: 4 });
    // At speed 2 the lead-in needs 14 source frames; 0.1 s gives 1.5 output frames → hold 6, play 1 (= 2/30 s).
    const fast = leadInSource(0.1, 7, 2, 30);
    expect(fast.freezeBeforeFrame).toBe(6);
    expect(fast.sourceStartSec).toBeCloseTo(0.1 - 2 / 30, 9);
    // From source 0 the whole lead-in is the first picture.
    expect(leadInSource(0, 7, 1, 30)).toEqual({ sourceStartSec: 0, freezeBeforeFrame: 7 });
    // Enough source before the start: shifted, nothing held.
    expect(leadInSource(3, 7, 1, 30)).toEqual({ sourceStartSec: 3 - 7 / 30 });
  });

  it('puts the freeze on the incoming layer, so its own start still plays at the cut', () => {
    const b = named('叠化', { sourceStartUs: 0 }).layers[1] as VideoLayer;
    expect(b.sourceStartSec).toBe(0);
    expect(b.freezeBeforeFrame).toBe(7);
    expect(b.fromFrame + b.freezeBeforeFrame!).toBe(60);
  });

  it('holds the outgoing layer’s last picture past the end of its material', () => {
    // a plays source 0.5..2.5 s of a 2.6 s material over frames 0..59; its 8-frame tail needs
    // up to 2.5 + 8/30 s: frames from 0.1 s × 30 = 3 past the cut (frame 63) have no source.
    const a = named('叠化', { aSourceStartUs: 500_000, materialUs: 2_600_000 }).layers[0] as VideoLayer;
    expect(a.durationFrames).toBe(68);
    expect(a.holdFromFrame).toBe(63);
    // Enough material: nothing held.
    expect((named('叠化', { materialUs: 60_000_000 }).layers[0] as VideoLayer).holdFromFrame).toBeUndefined();
  });

  it('computes the hold from the played part after a freeze', () => {
    const layer = { sourceStartSec: 0, playbackRate: 1, freezeBeforeFrame: 7, durationFrames: 80 } as VideoLayer;
    holdPastMaterialEnd(layer, 2, 30);
    expect(layer.holdFromFrame).toBe(67);
  });

  it('shifts the incoming layer’s animations with its lead-in', () => {
    const tl = compileTimeline(
      draft({
        tracks: [
          {
            id: 't',
            type: 'video',
            segments: [
              segment('a', 'v', 0, 2_000_000, { extra_material_refs: ['tr'] }),
              segment('b', 'v', 2_000_000, 2_000_000, { extra_material_refs: ['anim'] }),
            ],
          },
        ],
        materials: {
          videos: [video('v')],
          transitions: [transition],
          material_animations: [{ id: 'anim', type: 'sticker_animation', animations: [{ id: '1', name: '渐显', type: 'in', start: 0, duration: 500_000 }] }],
        },
      }),
    );
    expect(tl.layers[1].animations?.[0]).toMatchObject({ startFrame: 7, durationFrames: 15 });
  });
});
