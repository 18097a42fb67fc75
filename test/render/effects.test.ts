// Canvas backgrounds, masks, crop, filters, adjust key frames and stickers, checked on the pixels
// of one small portrait render (90×160), one effect per half second.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderResult } from '../../src/render/types';
import { DraftBuilder } from '../helpers/draft-builder';
import { FFMPEG, makeImage, tempDir } from '../helpers/media';
import { colorDistance, frameAt } from '../helpers/probe';
import { renderServedDraft } from './render-helpers';

const W = 90;
const H = 160;
const FPS = 30;
const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const WHITE = [255, 255, 255];
const YELLOW = [255, 255, 0];
const BLACK = [0, 0, 0];
/** H.264 at yuv420p moves flat colours by a few levels. */
const TOLERANCE = 24;

/** Slot n covers [n/2, n/2 + 1/2) s; frames are sampled in the middle of a slot. */
const SLOT_US = 500_000;
const slotStart = (n: number) => n * SLOT_US;
const midFrame = (n: number) => n * 15 + 7;

/** A 160×90 clip, left half red, right half green: a landscape clip on a portrait canvas. */
const makeHalvesClip = (file: string) =>
  execFileSync(FFMPEG, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'color=c=red:s=80x90:r=30:d=4',
    '-f', 'lavfi', '-i', 'color=c=lime:s=80x90:r=30:d=4',
    '-filter_complex', '[0:v][1:v]hstack=inputs=2[v]', '-map', '[v]',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '30', file,
  ]);

describe('effects: backgrounds, masks, crop, filters, adjust, stickers', () => {
  const tmp = tempDir();
  let out: string;
  let result: RenderResult;
  const at = (frame: number) => frameAt(out, frame / FPS);

  beforeAll(async () => {
    makeHalvesClip(`${tmp.dir}/halves.mp4`);
    makeImage(`${tmp.dir}/white.png`, '#ffffff', 40, 40);
    makeImage(`${tmp.dir}/white-tall.png`, '#ffffff', 90, 160);
    makeImage(`${tmp.dir}/gray.png`, '#808080', 90, 160);
    makeImage(`${tmp.dir}/yellow.png`, '#ffff00', 40, 40);
    result = await renderServedDraft(tmp.dir, (url) => {
      const d = new DraftBuilder({ width: W, height: H, fps: FPS });
      const halves = (extra?: Record<string, unknown>) =>
        d.video(url('halves.mp4'), { width: 160, height: 90, durationUs: 4_000_000, extra });
      const photo = (file: string, size: number[]) =>
        d.video(url(file), { width: size[0], height: size[1], durationUs: 0, photo: true });
      const canvas = (fields: Record<string, unknown>) => d.material('canvases', { color: '', blur: 0, image: '', ...fields });
      const mask = (name: string, config: Record<string, unknown>) =>
        d.material('masks', {
          name,
          type: 'mask',
          config: { centerX: 0, centerY: 0, width: 0.5, height: 0.5, rotation: 0, feather: 0, invert: false, roundCorner: 0, ...config },
        });
      const slot = (n: number, durationUs = SLOT_US) => ({ startUs: slotStart(n), durationUs });
      const small = (y: number) => ({ scale: { x: 0.5, y: 0.5 }, transform: { x: 0, y } });

      d.track('video', [
        // 0: blurred copy of the clip above and below it.
        { materialId: halves(), ...slot(0), refs: [canvas({ type: 'canvas_blur', blur: 1 })] },
        // 1: a blue canvas.
        { materialId: halves(), ...slot(1), refs: [canvas({ type: 'canvas_color', color: '#0000ff' })] },
        // 2: a tall white picture with a linear mask: the top half stays, the red canvas shows below.
        {
          materialId: photo('white-tall.png', [90, 160]),
          ...slot(2),
          refs: [mask('线性', {}), canvas({ type: 'canvas_color', color: '#FF0000FF' })],
        },
        // 3: black and white.
        { materialId: halves(), ...slot(3), refs: [d.material('effects', { type: 'filter', name: '黑白', value: 1 })] },
        // 4: cropped to the left (red) half: 80×90 fits 90×101.25.
        {
          materialId: halves({
            crop: {
              upper_left_x: 0, upper_left_y: 0, upper_right_x: 0.5, upper_right_y: 0,
              lower_left_x: 0, lower_left_y: 1, lower_right_x: 0.5, lower_right_y: 1,
            },
          }),
          ...slot(4),
        },
        // 5 and 6: brightness key frames 0 → 1 over a second.
        {
          materialId: photo('gray.png', [90, 160]),
          ...slot(5, 2 * SLOT_US),
          keyframes: [
            {
              property_type: 'KFTypeBrightness',
              keyframe_list: [
                { time_offset: 0, values: [0] },
                { time_offset: 1_000_000, values: [1] },
              ],
            },
          ],
        },
      ]);
      // Slot 1 overlays: 40×40 white pictures fit 90×90, scaled to 45×45, centred at y 36 and 124.
      d.track('video', [{ materialId: photo('white.png', [40, 40]), ...slot(1), clip: small(0.55), refs: [mask('圆形', {})] }]);
      d.track('video', [
        { materialId: photo('white.png', [40, 40]), ...slot(1), clip: small(-0.55), refs: [mask('矩形', { invert: true })] },
      ]);
      // Slot 3 overlay: a sticker drawn from its preview picture, 90×90 × 0.3 at y 32.
      const sticker = d.material('stickers', {
        type: 'sticker',
        resource_id: '6800000000000000000',
        name: 'yellow',
        path: 'C:/JianyingPro/Cache/effect/6800000000000000000',
        preview_cover_url: url('yellow.png'),
        icon_url: '',
      });
      d.track('sticker', [{ materialId: sticker, ...slot(3), clip: { scale: { x: 0.3, y: 0.3 }, transform: { x: 0, y: 0.6 } } }]);
      return d.toJSON();
    });
    out = result.outPath;
  });
  afterAll(() => tmp.cleanup());

  it('renders every slot and reports only the approximations', () => {
    expect(result.durationFrames).toBe(105);
    // canvas_blur: its strength is an estimate (the level itself is JianYing's).
    expect(result.warnings.map((w) => w.code).sort()).toEqual(['adjust-approximated', 'canvas-approximated', 'sticker-approximated']);
  });

  it('canvas_blur: above and below the letterboxed clip, a blurred copy of it', () => {
    // The clip fits as 90×50.6 in rows 55..105; the cover-fitted copy has its red/green edge at x 45.
    const f = at(midFrame(0));
    for (const y of [20, 140]) {
      const left = f.mean(8, y, 2);
      const right = f.mean(82, y, 2);
      const middle = f.mean(45, y, 1);
      expect(left[0]).toBeGreaterThan(150);
      expect(left[1]).toBeLessThan(90);
      expect(right[1]).toBeGreaterThan(150);
      expect(right[0]).toBeLessThan(90);
      // Blurred, not sharp and not black: both colours meet in the middle.
      expect(middle[0]).toBeGreaterThan(60);
      expect(middle[1]).toBeGreaterThan(60);
    }
    // The clip itself stays sharp.
    expect(colorDistance(f.mean(20, 80, 2), RED)).toBeLessThan(TOLERANCE);
  });

  it('canvas_color fills around the clip; circle and inverted rectangle masks cut the overlays', () => {
    const f = at(midFrame(1));
    expect(colorDistance(f.mean(45, 148, 2), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(f.mean(20, 80, 2), RED)).toBeLessThan(TOLERANCE);
    // Circle of diameter 22.5 at (45, 36): its centre shows the picture, its box corner the canvas.
    expect(colorDistance(f.mean(45, 36, 2), WHITE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(f.mean(26, 17, 1), BLUE)).toBeLessThan(TOLERANCE);
    // Inverted 22.5 px square at (45, 124): a hole in the middle, the picture around it.
    expect(colorDistance(f.mean(45, 124, 2), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(f.mean(28, 124, 1), WHITE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(f.mean(45, 107, 1), WHITE)).toBeLessThan(TOLERANCE);
  });

  it('a linear mask keeps the top half', () => {
    const f = at(midFrame(2));
    expect(colorDistance(f.mean(45, 40, 3), WHITE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(f.mean(45, 120, 3), RED)).toBeLessThan(TOLERANCE);
  });

  it('黑白 makes the clip grey (r ≈ g ≈ b) and leaves the sticker in colour', () => {
    const f = at(midFrame(3));
    const left = f.mean(20, 80, 2);
    const right = f.mean(70, 80, 2);
    for (const c of [left, right]) {
      expect(Math.max(...c) - Math.min(...c)).toBeLessThan(16);
    }
    // Luma of red < luma of green.
    expect(right[0]).toBeGreaterThan(left[0] + 60);
    expect(colorDistance(f.mean(45, 32, 3), YELLOW)).toBeLessThan(TOLERANCE);
  });

  it('crop shows only the chosen part, fitted to the canvas', () => {
    const f = at(midFrame(4));
    expect(colorDistance(f.mean(10, 80, 2), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(f.mean(80, 80, 2), RED)).toBeLessThan(TOLERANCE);
    // 90×101.25 in rows 29..131: black above and below.
    expect(colorDistance(f.mean(45, 10, 2), BLACK)).toBeLessThan(TOLERANCE);
    expect(colorDistance(f.mean(45, 150, 2), BLACK)).toBeLessThan(TOLERANCE);
  });

  it('brightness key frames raise the level over time', () => {
    const early = at(5 * 15 + 2).mean(45, 80, 3)[1];
    const late = at(7 * 15 - 2).mean(45, 80, 3)[1];
    expect(early).toBeLessThan(145);
    expect(late).toBeGreaterThan(early + 40);
  });
});
