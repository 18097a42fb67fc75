import { describe, expect, it } from 'vitest';
import { parseDraft } from '../../src/draft/schema';
import { GenVideoError } from '../../src/errors';
import { compileTimeline } from '../../src/timeline/compile';
import { valueAt } from '../../src/timeline/track';
import type { TextLayer, VideoLayer } from '../../src/timeline/types';
import { audio, draft, photo, rawDraft, segment, text, video } from './draft-builder';

const oneVideo = (seg: Record<string, unknown>, materials: Record<string, unknown> = {}) =>
  compileTimeline(
    draft({ tracks: [{ id: 't', type: 'video', segments: [seg] }], materials: { videos: [video('v')], ...materials } }),
  );

describe('compileTimeline: frames', () => {
  it('places segments by rounded µs and takes the duration from the segments', () => {
    const tl = compileTimeline(
      parseDraft({
        ...rawDraft({
          tracks: [
            { id: 't', type: 'video', segments: [segment('a', 'v', 0, 766_667), segment('b', 'v', 766_667, 766_666)] },
          ],
          materials: { videos: [video('v')] },
        }),
        duration: 99_000_000,
      }),
    );
    expect(tl.layers.map((l) => [l.id, l.fromFrame, l.durationFrames])).toEqual([
      ['a', 0, 23],
      ['b', 23, 23],
    ]);
    expect(tl.durationFrames).toBe(46);
    expect(tl.fps).toBe(30);
    expect([tl.widthPx, tl.heightPx]).toEqual([1080, 1920]);
  });

  it('grows an odd canvas to even sides (H.264 4:2:0) with a warning', () => {
    const tl = compileTimeline(
      parseDraft({
        ...rawDraft({ tracks: [{ id: 't', type: 'video', segments: [segment('a', 'v', 0, 1_000_000)] }], materials: { videos: [video('v')] } }),
        canvas_config: { width: 1081, height: 1920, ratio: 'original' },
      }),
    );
    expect([tl.widthPx, tl.heightPx]).toEqual([1082, 1920]);
    expect(tl.warnings.map((w) => w.code)).toContain('canvas-size-odd');
  });

  it('defaults a missing or broken fps to 30 with a warning', () => {
    for (const fps of [undefined, null, 0]) {
      const tl = compileTimeline(
        draft({ fps, tracks: [{ id: 't', type: 'video', segments: [segment('a', 'v', 0, 1_000_000)] }], materials: { videos: [video('v')] } }),
      );
      expect(tl.fps).toBe(30);
      expect(tl.durationFrames).toBe(30);
      expect(tl.warnings.map((w) => w.code)).toEqual(['fps-missing']);
    }
    const tl = compileTimeline(
      draft({ fps: 25.0, tracks: [{ id: 't', type: 'video', segments: [segment('a', 'v', 0, 1_000_000)] }], materials: { videos: [video('v')] } }),
    );
    expect(tl.fps).toBe(25);
    expect(tl.warnings).toEqual([]);
  });

  it('cuts the timeline at maxSeconds', () => {
    const tl = compileTimeline(
      draft({
        tracks: [
          { id: 't', type: 'video', segments: [segment('a', 'v', 0, 2_000_000), segment('b', 'v', 2_000_000, 2_000_000)] },
          { id: 'au', type: 'audio', segments: [segment('m', 'a', 0, 10_000_000), segment('late', 'a', 3_000_000, 1_000_000)] },
        ],
        materials: { videos: [video('v')], audios: [audio('a')] },
      }),
      {},
      { maxSeconds: 1.5 },
    );
    expect(tl.durationFrames).toBe(45);
    expect(tl.layers.map((l) => [l.id, l.durationFrames])).toEqual([['a', 45]]);
    expect(tl.audio.map((a) => [a.id, a.durationFrames])).toEqual([
      ['a', 45],
      ['m', 45],
    ]);
    expect(Object.keys(tl.media).sort()).toEqual(['a', 'v']);
  });
});

describe('compileTimeline: geometry', () => {
  it('contain-fits media and multiplies by clip.scale', () => {
    const tl = oneVideo(
      segment('s', 'v', 0, 1_000_000, {
        clip: { alpha: 0.5, flip: { horizontal: true }, rotation: 30, scale: { x: 1.5, y: 2 }, transform: { x: 0.5, y: -0.8 } },
      }),
    );
    const l = tl.layers[0];
    expect(l.boxPx).toEqual({ width: 1080, height: 607.5 });
    expect(valueAt(l.geometry.scaleX, 0)).toBe(1.5);
    expect(valueAt(l.geometry.scaleY, 0)).toBe(2);
    expect(valueAt(l.geometry.centerXPx, 0)).toBe(810);
    expect(valueAt(l.geometry.centerYPx, 0)).toBeCloseTo(1728, 9);
    expect(valueAt(l.geometry.rotationDeg, 0)).toBe(30);
    expect(valueAt(l.geometry.opacity, 0)).toBe(0.5);
    expect([l.geometry.flipX, l.geometry.flipY]).toEqual([true, false]);
  });

  it('lets key frames override the static clip values', () => {
    const tl = oneVideo(
      segment('s', 'v', 0, 2_000_000, {
        clip: { scale: { x: 1.2375, y: 1.2375 }, transform: { x: 0, y: 0 } },
        common_keyframes: [
          { property_type: 'KFTypePositionX', keyframe_list: [{ time_offset: 2_000_000, values: [-0.1] }, { time_offset: 0, values: [0.1] }] },
          { property_type: 'KFTypeScale', keyframe_list: [{ time_offset: 0, values: [1, 1] }, { time_offset: 1_000_000, values: [2, 3] }] },
        ],
      }),
    );
    const g = tl.layers[0].geometry;
    expect(g.centerXPx).toEqual({ frames: [0, 60], values: [594, 486] });
    expect(g.scaleX).toEqual({ frames: [0, 30], values: [1, 2] });
    expect(g.scaleY).toEqual({ frames: [0, 30], values: [1, 3] });
    expect(valueAt(g.scaleY, 100)).toBe(3);
  });

  it('fits media of unknown size to the canvas, with a warning', () => {
    const tl = oneVideo(segment('s', 'x', 0, 1_000_000), { videos: [{ id: 'x', type: 'video', path: '/x.mp4' }] });
    expect(tl.layers[0].boxPx).toEqual({ width: 1080, height: 1920 });
    expect(tl.warnings.map((w) => w.code)).toEqual(['media-size-unknown']);
  });

  it('gives text layers the canvas box and the segment geometry', () => {
    const tl = compileTimeline(
      draft({
        tracks: [{ id: 't', type: 'text', segments: [segment('s', 'txt', 0, 1_000_000, { source_timerange: null, clip: { transform: { x: 0, y: -0.8 } } })] }],
        materials: { texts: [text('txt', 'hello', { font_size: 10 })] },
      }),
    );
    const l = tl.layers[0] as TextLayer;
    expect(l.kind).toBe('text');
    expect(l.boxPx).toEqual({ width: 1080, height: 1920 });
    expect(valueAt(l.geometry.centerYPx, 0)).toBeCloseTo(1728, 9);
    expect(l.text.runs[0].fontSizePx).toBe(67.5);
  });
});

describe('compileTimeline: media', () => {
  it('takes speed and the source window from the segment', () => {
    const tl = oneVideo(segment('s', 'v', 1_000_000, 2_000_000, { speed: 2, source_timerange: { start: 5_000_000, duration: 4_000_000 } }));
    const l = tl.layers[0] as VideoLayer;
    expect(l).toMatchObject({ kind: 'video', fromFrame: 30, durationFrames: 60, sourceStartSec: 5, playbackRate: 2, mediaId: 'v' });
    expect(tl.audio[0]).toMatchObject({ id: 's', fromFrame: 30, durationFrames: 60, sourceStartSec: 5, playbackRate: 2 });
  });

  it('reads speed: null as 1 and a null source window as 0', () => {
    const l = oneVideo(segment('s', 'v', 0, 1_000_000, { speed: null, source_timerange: null })).layers[0] as VideoLayer;
    expect([l.playbackRate, l.sourceStartSec]).toEqual([1, 0]);
  });

  it('makes photos image layers and GIFs gif layers', () => {
    const tl = compileTimeline(
      draft({
        tracks: [{ id: 't', type: 'video', segments: [segment('p', 'p', 0, 1_000_000), segment('g', 'g', 1_000_000, 1_000_000)] }],
        materials: { videos: [photo('p'), video('g', { path: '/stuff/sticker.gif', width: 312, height: 259 })] },
      }),
    );
    expect(tl.layers.map((l) => l.kind)).toEqual(['image', 'gif']);
    expect(tl.media.p.kind).toBe('photo');
    expect(tl.media.g.kind).toBe('gif');
    expect(tl.layers[0].boxPx).toEqual({ width: 1080, height: 1080 });
  });

  it('lists media candidates using the draft context', () => {
    const tl = compileTimeline(
      draft({
        tracks: [{ id: 't', type: 'video', segments: [segment('s', 'v', 0, 1_000_000)] }],
        materials: { videos: [video('v', { path: 'assets/v.mp4', remote_url: 'https://cdn/v.mp4' })] },
      }),
      { localDir: '/drafts/one' },
    );
    expect(tl.media.v.candidates).toEqual(['https://cdn/v.mp4', '/drafts/one/assets/v.mp4']);
  });
});

describe('compileTimeline: skipping and warnings', () => {
  it('skips hidden segments and missing materials', () => {
    const tl = compileTimeline(
      draft({
        tracks: [
          { id: 't', type: 'video', segments: [segment('ok', 'v', 0, 1_000_000), segment('gone', 'nope', 1_000_000, 1_000_000)] },
          { id: 'tt', type: 'text', segments: [segment('hidden', 'txt', 0, 1_000_000, { visible: false })] },
        ],
        materials: { videos: [video('v')], texts: [text('txt', 'dup caption')] },
      }),
    );
    expect(tl.layers.map((l) => l.id)).toEqual(['ok']);
    expect(tl.warnings.map((w) => [w.segmentId, w.code])).toEqual([
      ['gone', 'material-missing'],
      ['hidden', 'segment-hidden'],
    ]);
  });

  it('reports sticker/effect/filter/adjust tracks and skipped extra materials once per segment', () => {
    const tl = compileTimeline(
      draft({
        tracks: [
          {
            id: 't',
            type: 'video',
            segments: [
              segment('s', 'v', 0, 1_000_000, {
                extra_material_refs: ['mask', 'blur', 'black', 'none', 'fx', 'filter', 'anim', 'anim-empty', 'speed', 'ghost', 'fx2'],
              }),
            ],
          },
          { id: 'st', type: 'sticker', segments: [segment('sticker', 'no-url', 0, 1_000_000)] },
          { id: 'ef', type: 'effect', segments: [segment('effect', 'x', 0, 1_000_000)] },
          { id: 'fi', type: 'filter', segments: [segment('filter', 'x', 0, 1_000_000)] },
          { id: 'ad', type: 'adjust', segments: [segment('adjust', 'x', 0, 1_000_000)] },
        ],
        materials: {
          videos: [video('v')],
          masks: [{ id: 'mask', name: '圆形' }],
          stickers: [{ id: 'no-url', resource_id: '7000', path: 'C:/cache/sticker.webp', preview_cover_url: '' }],
          canvases: [
            { id: 'blur', type: 'canvas_blur', blur: 0.375 },
            { id: 'black', type: 'canvas_color', color: '#000000' },
            { id: 'none', type: 'none', color: '' },
          ],
          video_effects: [{ id: 'fx', name: '闪白' }, { id: 'fx2', name: '抖动' }],
          effects: [{ id: 'filter', type: 'filter', name: '胶片' }],
          material_animations: [
            { id: 'anim', type: 'sticker_animation', animations: [{ id: '1', name: '渐显', type: 'in', start: 0, duration: 500_000 }] },
            { id: 'anim-empty', type: 'sticker_animation', animations: [] },
          ],
          speeds: [{ id: 'speed', speed: 1, curve_speed: null }],
        },
      }),
    );
    expect(tl.warnings.map((w) => [w.segmentId, w.code])).toEqual([
      ['s', 'mask-skipped'],
      ['s', 'effect-skipped'],
      ['s', 'filter-skipped'],
      // The blur level's strength is an estimate.
      ['s', 'canvas-approximated'],
      ['sticker', 'sticker-skipped'],
      ['effect', 'effect-skipped'],
      ['filter', 'filter-skipped'],
      ['adjust', 'adjust-skipped'],
    ]);
    // 渐显 is drawn (animations.test.ts), so it is not reported; the empty container adds nothing.
    expect(tl.layers[0].animations?.map((a) => [a.name, a.family, a.phase])).toEqual([['渐显', 'fade', 'in']]);
  });

  it('throws DRAFT_EMPTY when nothing can be drawn or heard', () => {
    const empty = () =>
      compileTimeline(
        draft({
          tracks: [
            { id: 'main', type: 'video', segments: [] },
            { id: 'tt', type: 'text', segments: [segment('hidden', 'txt', 0, 1_000_000, { visible: false })] },
            { id: 'st', type: 'sticker', segments: [segment('sticker', 'x', 0, 1_000_000)] },
          ],
          materials: { texts: [text('txt', 'x')] },
        }),
      );
    expect(empty).toThrow(GenVideoError);
    try {
      empty();
    } catch (e) {
      expect((e as GenVideoError).code).toBe('DRAFT_EMPTY');
    }
  });

  it('produces plain JSON', () => {
    const tl = oneVideo(segment('s', 'v', 0, 1_000_000, { extra_material_refs: ['tr'] }), { transitions: [{ id: 'tr', name: 'x', duration: 1 }] });
    expect(JSON.parse(JSON.stringify(tl))).toEqual(tl);
    expect(structuredClone(tl)).toEqual(tl);
    // no keys explicitly set to undefined, no Maps/Sets/class instances
    const walk = (v: unknown, path: string): string[] => {
      if (v === undefined) return [path];
      if (typeof v !== 'object' || v === null) return [];
      expect([Object.prototype, Array.prototype]).toContain(Object.getPrototypeOf(v));
      return Object.entries(v).flatMap(([k, x]) => walk(x, `${path}.${k}`));
    };
    expect(walk(tl, 'timeline')).toEqual([]);
  });
});
