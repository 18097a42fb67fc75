// Intro/outro/loop animations on rendered pixels: one render, one 1 s segment per case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderResult } from '../../src/render/types';
import { DraftBuilder } from '../helpers/draft-builder';
import { makeImage, tempDir } from '../helpers/media';
import type { Frame } from '../helpers/probe';
import { decodeFrames } from './decoded-frames';
import { ENGINES, renderServedDraft } from './render-helpers';

const W = 96;
const H = 54;
const FPS = 30;
/** Every case is a 1 s segment: case k covers frames 30k..30k + 29. */
const SEGMENT_US = 1_000_000;
const SEGMENT_FRAMES = 30;
/** 0.5 s animations: 15 frames; frame 7 is the middle ((7 + 0.5) / 15 = 0.5). */
const ANIM_US = 500_000;

/**
 * A white 96×54 picture fills the canvas ('full'); at clip scale 0.5 it is a 48×27 box in the
 * middle of the black canvas ('box'). Animations in order of the cases below.
 */
const CASES = [
  { name: '渐显', type: 'in', shape: 'full' },
  { name: '放大', type: 'in', shape: 'box' },
  { name: '向左滑动', type: 'in', shape: 'box' },
  { name: '渐隐', type: 'out', shape: 'full' },
  { name: '缩小', type: 'out', shape: 'box' },
  { name: '弹入', type: 'in', shape: 'box' },
  { name: '闪烁', type: 'loop', shape: 'full' },
  { name: '斜切', type: 'in', shape: 'full' },
  { name: '旋转', type: 'in', shape: 'box' },
] as const;

describe.each(ENGINES)('animations on rendered pixels (%s)', (engine) => {
  const tmp = tempDir();
  let result: RenderResult;
  let frames: Frame[];
  const frame = (k: number, f: number) => frames[SEGMENT_FRAMES * k + f];
  /** Grey level at the canvas centre. */
  const grey = (k: number, f: number) => frame(k, f).mean(48, 27, 2)[1];
  /** Leftmost and rightmost white pixels of a row. */
  const whiteSpan = (k: number, f: number, y = 27): [number, number] | null => {
    let first = -1;
    let last = -1;
    for (let x = 0; x < W; x++) {
      if (frame(k, f).at(x, y)[1] > 128) {
        if (first < 0) first = x;
        last = x;
      }
    }
    return first < 0 ? null : [first, last];
  };
  const width = (k: number, f: number) => {
    const span = whiteSpan(k, f);
    return span ? span[1] - span[0] + 1 : 0;
  };

  beforeAll(async () => {
    makeImage(`${tmp.dir}/white.png`, '#ffffff', W, H);
    result = await renderServedDraft(tmp.dir, (url) => {
      const d = new DraftBuilder({ width: W, height: H, fps: FPS });
      const white = d.video(url('white.png'), { width: W, height: H, durationUs: 0, photo: true });
      d.track(
        'video',
        CASES.map((c, k) => {
          const start = c.type === 'out' ? SEGMENT_US - ANIM_US : 0;
          const duration = c.type === 'loop' ? SEGMENT_US : ANIM_US;
          const container = d.material('material_animations', {
            type: 'sticker_animation',
            animations: [{ id: String(k), name: c.name, type: c.type, start, duration }],
          });
          const scale = c.shape === 'box' ? 0.5 : 1;
          return { materialId: white, startUs: k * SEGMENT_US, durationUs: SEGMENT_US, clip: { scale: { x: scale, y: scale } }, refs: [container] };
        }),
      );
      return d.toJSON();
    }, 'draft.json', engine);
    expect(result.engine).toBe(engine);
    frames = decodeFrames(result.outPath);
  }, 120_000);
  afterAll(() => {
    if (process.env.KEEP_RENDERS) console.log(`renders kept in ${tmp.dir}`);
    else tmp.cleanup();
  });

  it('draws every case and reports only the unknown name', () => {
    console.log('render timings (s)', result.timingsSec);
    expect(frames).toHaveLength(CASES.length * SEGMENT_FRAMES);
    expect(result.warnings.map((w) => w.code)).toEqual(['animation-approximated']);
    expect(result.warnings[0].message).toContain('斜切');
  });

  it('渐显 fades in linearly: 1/30, 1/2, then full', () => {
    // Opacity at frame f: (f + 0.5) / 15 → 8, 128, 255 levels.
    expect(grey(0, 0)).toBeLessThan(25);
    expect(grey(0, 7)).toBeGreaterThan(128 - 20);
    expect(grey(0, 7)).toBeLessThan(128 + 20);
    expect(grey(0, 15)).toBeGreaterThan(235);
  });

  it('放大 grows the box from its centre, easing out', () => {
    // Scale = ease-out(p) = 1 − (1 − p)²: frame 0 → 0.066 (3 px of 48), frame 7 → 0.75 (36 px), frame 15 → 1 (48 px).
    expect(width(1, 0)).toBeLessThan(8);
    expect(Math.abs(width(1, 7) - 36)).toBeLessThanOrEqual(2);
    expect(Math.abs(width(1, 15) - 48)).toBeLessThanOrEqual(2);
    // Centred all along.
    const [a, b] = whiteSpan(1, 7)!;
    expect(Math.abs((a + b) / 2 - 47.5)).toBeLessThanOrEqual(1);
  });

  it('向左滑动 moves the box in from the right by one canvas width', () => {
    // Offset = 96 × (1 − ease-out(p)): frame 7 → 24 px: the box spans 48..96 (cut by the canvas edge).
    const [a7] = whiteSpan(2, 7)!;
    expect(Math.abs(a7 - 48)).toBeLessThanOrEqual(2);
    // Frame 0: 96 × 0.934 = 90 px: off the canvas but for its left edge... nothing at x < 90.
    const span0 = whiteSpan(2, 0);
    expect(span0 === null || span0[0] >= 88).toBe(true);
    expect(whiteSpan(2, 15)).toEqual([24, 71]);
  });

  it('渐隐 fades out over the end of the segment', () => {
    // The outro covers frames 15..29: opacity 1 − (f − 15 + 0.5) / 15.
    expect(grey(3, 14)).toBeGreaterThan(235);
    expect(Math.abs(grey(3, 22) - 128)).toBeLessThan(20);
    expect(grey(3, 29)).toBeLessThan(25);
  });

  it('缩小 shrinks the box away at the end of the segment', () => {
    // An outro runs the ease backwards: scale = ease-out(1 − p): frame 22 → 0.75, frame 29 → 0.066.
    expect(Math.abs(width(4, 14) - 48)).toBeLessThanOrEqual(2);
    expect(Math.abs(width(4, 22) - 36)).toBeLessThanOrEqual(2);
    expect(width(4, 29)).toBeLessThan(8);
  });

  it('弹入 overshoots by about 10 % before settling', () => {
    // easeOutBack at frame 8 (p = 0.567): 1 + 2.70158·(−0.433)³ + 1.70158·(−0.433)² = 1.10 → 52.8 px.
    expect(Math.abs(width(5, 8) - 52.8)).toBeLessThanOrEqual(2);
    expect(Math.abs(width(5, 15) - 48)).toBeLessThanOrEqual(2);
  });

  it('闪烁 blinks every 15 frames over the whole segment', () => {
    // Weight (1 − cos 2πc) / 2 with c = (f + 0.5) / 15: 0.01 at frames 0 and 15, 1 at 7 and 22.
    expect(grey(6, 0)).toBeGreaterThan(235);
    expect(grey(6, 7)).toBeLessThan(20);
    expect(grey(6, 15)).toBeGreaterThan(235);
    expect(grey(6, 22)).toBeLessThan(20);
  });

  it('an unknown name (斜切) fades in', () => {
    expect(Math.abs(grey(7, 7) - 128)).toBeLessThan(20);
    expect(grey(7, 15)).toBeGreaterThan(235);
  });

  it('旋转 turns the box in while growing it', () => {
    // Frame 7: rotation −180° × 0.25 = −45°, scale 0.75: a 36×20 box turned 45°. The point 16 px
    // right of the centre is inside the unturned box (half width 18) but 11.3 px off the turned
    // box's long axis, past its half height of 10.1: black. The centre is white.
    expect(frame(8, 7).at(48, 27)[1]).toBeGreaterThan(200);
    expect(frame(8, 7).mean(64, 27, 1)[1]).toBeLessThan(60);
    expect(whiteSpan(8, 15)).toEqual([24, 71]);
  });
});
