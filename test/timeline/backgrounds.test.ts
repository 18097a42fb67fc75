import { describe, expect, it } from 'vitest';
import { usedMediaIds } from '../../src/materials/fetch-materials';
import { compileTimeline } from '../../src/timeline/compile';
import { backgroundBlurPx, coverFit } from '../../src/timeline/backgrounds';
import { draft, photo, segment, video } from './draft-builder';

type Json = Record<string, unknown>;

/** A 1080×1920 draft: main track `main`, an overlay track, canvases and transitions as given. */
function compile(main: Json[], materials: Json, opts: { overlay?: Json[]; maxSeconds?: number } = {}) {
  return compileTimeline(
    draft({
      tracks: [
        { id: 'main', type: 'video', segments: main },
        ...(opts.overlay ? [{ id: 'over', type: 'video', segments: opts.overlay }] : []),
      ],
      materials: { videos: [video('v'), photo('p')], ...materials },
    }),
    { localDir: '/drafts/x' },
    opts.maxSeconds ? { maxSeconds: opts.maxSeconds } : {},
  );
}

describe('background blur and cover fit', () => {
  it('maps JianYing’s four blur levels to a σ growing with the canvas short side', () => {
    const canvas = { width: 1080, height: 1920 };
    // 1080 · (0.012 + 0.09 · level)
    expect([0.0625, 0.375, 0.75, 1].map((l) => Math.round(backgroundBlurPx(l, canvas) * 100) / 100)).toEqual([
      19.04, 49.41, 85.86, 110.16,
    ]);
  });

  it('covers the canvas with the picture’s aspect', () => {
    // 1280×720 on 1080×1920: factor max(0.84375, 2.667) → 3413.33×1920.
    const box = coverFit({ width: 1280, height: 720 }, { width: 1080, height: 1920 })!;
    expect(box.height).toBe(1920);
    expect(box.width).toBeCloseTo(3413.333, 3);
    expect(coverFit({}, { width: 1, height: 1 })).toBeUndefined();
  });
});

describe('canvas backgrounds behind main-track segments', () => {
  it('draws canvas_blur as the segment’s own clip, cover-fitted, in step with its source', () => {
    const tl = compile(
      [segment('a', 'v', 0, 1_000_000, { extra_material_refs: ['blur'], source_timerange: { start: 2_000_000, duration: 2_000_000 }, speed: 2 })],
      { canvases: [{ id: 'blur', type: 'canvas_blur', blur: 0.375 }] },
    );
    expect(tl.backgrounds).toHaveLength(1);
    const [bg] = tl.backgrounds!;
    expect(bg).toMatchObject({ segmentId: 'a', fromFrame: 0, durationFrames: 30, kind: 'blur', mediaId: 'v', sourceStartSec: 2, playbackRate: 2 });
    expect(bg.blurPx).toBeCloseTo(49.41, 9);
    expect(bg.boxPx?.height).toBe(1920);
    // The level is one of the app's four; the strength drawn for it is an estimate.
    expect(tl.warnings.map((w) => w.code)).toEqual(['canvas-approximated']);
  });

  it('blurs a photo without source timing, and uses the crop for the blurred copy too', () => {
    const crop = { upper_left_x: 0, upper_left_y: 0, upper_right_x: 0.5, upper_right_y: 0, lower_left_x: 0, lower_left_y: 0.5, lower_right_x: 0.5, lower_right_y: 0.5 };
    const tl = compileTimeline(
      draft({
        tracks: [{ type: 'video', segments: [segment('a', 'p', 0, 1_000_000, { extra_material_refs: ['blur'] })] }],
        materials: { videos: [photo('p', { width: 1000, height: 2000, crop })], canvases: [{ id: 'blur', type: 'canvas_blur', blur: 1 }] },
      }),
    );
    const [bg] = tl.backgrounds!;
    expect(bg.sourceStartSec).toBeUndefined();
    expect(bg.crop).toEqual({ x: 0, y: 0, width: 0.5, height: 0.5 });
    // cropped 500×1000 covers 1080×1920 at factor max(2.16, 1.92) → 1080×2160.
    expect(bg.boxPx).toEqual({ width: 1080, height: 2160 });
  });

  it('draws canvas_color in CSS, and nothing for black, empty or none', () => {
    const tl = compile(
      [
        segment('a', 'v', 0, 1_000_000, { extra_material_refs: ['red'] }),
        segment('b', 'v', 1_000_000, 1_000_000, { extra_material_refs: ['half'] }),
        segment('c', 'v', 2_000_000, 1_000_000, { extra_material_refs: ['black'] }),
        segment('d', 'v', 3_000_000, 1_000_000, { extra_material_refs: ['none'] }),
        segment('e', 'v', 4_000_000, 1_000_000, { extra_material_refs: ['empty'] }),
      ],
      {
        canvases: [
          { id: 'red', type: 'canvas_color', color: '#FF0000' },
          { id: 'half', type: 'canvas_color', color: '#00FF0080' },
          { id: 'black', type: 'canvas_color', color: '#000000' },
          { id: 'none', type: 'none', color: '' },
          { id: 'empty', type: 'canvas_color', color: '' },
        ],
      },
    );
    expect(tl.backgrounds).toEqual([
      { segmentId: 'a', fromFrame: 0, durationFrames: 30, kind: 'color', color: '#ff0000' },
      { segmentId: 'b', fromFrame: 30, durationFrames: 30, kind: 'color', color: 'rgba(0, 255, 0, 0.502)' },
    ]);
    expect(tl.warnings).toEqual([]);
  });

  it('registers canvas_image as a photo to download, and skips one without a file', () => {
    const tl = compile(
      [
        segment('a', 'v', 0, 1_000_000, { extra_material_refs: ['img'] }),
        segment('b', 'v', 1_000_000, 1_000_000, { extra_material_refs: ['noimg'] }),
      ],
      {
        canvases: [
          { id: 'img', type: 'canvas_image', image: 'assets/pattern.png', image_name: 'pattern.png' },
          { id: 'noimg', type: 'canvas_image', image: '' },
        ],
      },
    );
    expect(tl.backgrounds).toEqual([{ segmentId: 'a', fromFrame: 0, durationFrames: 30, kind: 'image', mediaId: 'img' }]);
    expect(tl.media.img).toEqual({ id: 'img', kind: 'photo', name: 'pattern.png', candidates: ['/drafts/x/assets/pattern.png'] });
    // fetchMaterials downloads it with the layers' media.
    expect(usedMediaIds(tl)).toEqual(['img', 'v']);
    expect(tl.warnings.map((w) => [w.segmentId, w.code])).toEqual([['b', 'canvas-skipped']]);
  });

  it('ignores canvases off the main track, as JianYing does', () => {
    const tl = compile([segment('a', 'v', 0, 1_000_000)], { canvases: [{ id: 'red', type: 'canvas_color', color: '#ff0000' }] }, {
      overlay: [segment('o', 'p', 0, 1_000_000, { extra_material_refs: ['red'] })],
    });
    expect(tl.backgrounds).toBeUndefined();
    expect(tl.warnings).toEqual([]);
  });

  it('keeps each background to its own segment’s time across a transition', () => {
    const tl = compile(
      [
        segment('a', 'v', 0, 1_000_000, { extra_material_refs: ['red', 'fade'] }),
        segment('b', 'v', 1_000_000, 1_000_000, { extra_material_refs: ['blue'] }),
      ],
      {
        canvases: [
          { id: 'red', type: 'canvas_color', color: '#ff0000' },
          { id: 'blue', type: 'canvas_color', color: '#0000ff' },
        ],
        transitions: [{ id: 'fade', name: '叠化', duration: 500_000 }],
      },
    );
    expect(tl.backgrounds?.map((b) => [b.segmentId, b.fromFrame, b.durationFrames])).toEqual([
      ['a', 0, 30],
      ['b', 30, 30],
    ]);
    // The layers themselves overlap by the transition window.
    expect(tl.layers.find((l) => l.id === 'b')!.fromFrame).toBe(23);
  });

  it('cuts backgrounds with maxSeconds', () => {
    const tl = compile(
      [
        segment('a', 'v', 0, 1_000_000, { extra_material_refs: ['red'] }),
        segment('b', 'v', 1_000_000, 1_000_000, { extra_material_refs: ['red'] }),
      ],
      { canvases: [{ id: 'red', type: 'canvas_color', color: '#ff0000' }] },
      { maxSeconds: 0.5 },
    );
    expect(tl.backgrounds?.map((b) => [b.segmentId, b.durationFrames])).toEqual([['a', 15]]);
  });
});

describe('media segment picture effects in the timeline', () => {
  it('puts the mask and filters on the layer; adjust key frames move with a transition lead-in', () => {
    const tl = compile(
      [
        segment('a', 'v', 0, 1_000_000, { extra_material_refs: ['fade'] }),
        segment('b', 'v', 1_000_000, 1_000_000, {
          extra_material_refs: ['circle', 'bw'],
          common_keyframes: [
            { property_type: 'KFTypeBrightness', keyframe_list: [{ time_offset: 0, values: [0] }, { time_offset: 1_000_000, values: [1] }] },
          ],
        }),
      ],
      {
        masks: [{ id: 'circle', name: '圆形', config: { centerX: 0, centerY: 0, width: 0.5, height: 0.28125 } }],
        effects: [{ id: 'bw', type: 'filter', name: '黑白', value: 1 }],
        transitions: [{ id: 'fade', name: '叠化', duration: 500_000 }],
      },
    );
    const b = tl.layers.find((l) => l.id === 'b')!;
    // 1280×720 fits 1080×607.5: width 0.5 → 540 px, height 0.28125 of 607.5 px.
    expect(b.mask).toMatchObject({ shape: 'ellipse', centerXPx: 540, centerYPx: 303.75, widthPx: 540 });
    expect(b.mask!.heightPx).toBeCloseTo(0.28125 * 607.5, 9);
    // b starts 7 frames early: its key frames 0 → 30 sit at 7 → 37 of the layer.
    expect(b.filters).toEqual([
      { fn: 'grayscale', amount: { frames: [0], values: [1] } },
      { fn: 'brightness', amount: { frames: [7, 37], values: [1, 1.5] } },
    ]);
    expect(tl.warnings.filter((w) => w.segmentId === 'b').map((w) => w.code)).toEqual(['adjust-approximated']);
  });
});
