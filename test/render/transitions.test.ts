// Transition families drawn on rendered pixels: one render, one cut per family, numbers by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderResult } from '../../src/render/types';
import { DraftBuilder } from '../helpers/draft-builder';
import { makeImage, makeSteppedClip, tempDir } from '../helpers/media';
import { colorDistance, type Frame } from '../helpers/probe';
import { decodeFrames } from './decoded-frames';
import { renderServedDraft } from './render-helpers';

const W = 96;
const H = 54;
const FPS = 30;
const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];
/** H.264 at yuv420p moves flat colours by a few levels, and more at colour edges. */
const TOLERANCE = 30;

/** Solid images of 0.6 s (18 frames), red and blue in turn; cut k (k = 1..) at frame 18k. */
const SEGMENT_US = 600_000;
const SEGMENT_FRAMES = 18;
/** 0.5 s windows: 15 frames [cut − 7, cut + 8); the cut frame is the middle ((7 + 0.5) / 15 = 0.5). */
const WINDOW_US = 500_000;

/** One transition per cut, in order; the colours follow from the alternation. */
const NAMES = [
  '闪白', // 1: red → blue
  '闪黑', // 2: blue → red
  '左移', // 3: red → blue
  '上移', // 4: blue → red
  '向右', // 5: red → blue (slide)
  '向左擦除', // 6: blue → red
  '向下擦除', // 7: red → blue
  '圆形遮罩', // 8: blue → red
  '推近', // 9: red → blue
  '拉远', // 10: blue → red
  '模糊', // 11: red → blue
  '旋转', // 12: blue → red
  '故障', // 13: red → blue
  '横向拉幕', // 14: blue → red
  '翻页', // 15: red → blue
  '色彩溶解', // 16: blue → red
  '万花筒', // 17: red → green video (unknown: a cross-fade)
];
/** Cut 18: the green end of a 2 s clip (held past its end) wipes to a stepped clip from source 0. */
const FREEZE_CUT = 18;

const cutFrame = (k: number) => SEGMENT_FRAMES * k;
const outgoing = (k: number) => ((k - 1) % 2 === 0 ? RED : BLUE);
const incoming = (k: number) => (k === 17 ? GREEN : k % 2 === 0 ? RED : BLUE);
const mix = (a: number[], b: number[], t = 0.5) => a.map((v, i) => v * (1 - t) + b[i] * t);

describe('transitions by name, on rendered pixels', () => {
  const tmp = tempDir();
  let result: RenderResult;
  let frames: Frame[];
  /** Mean colour around a pixel at a frame of cut k (offset from the cut). */
  const at = (k: number, offset: number, x: number, y: number, r = 2) => frames[cutFrame(k) + offset].mean(x, y, r);

  beforeAll(async () => {
    makeImage(`${tmp.dir}/red.png`, '#ff0000', W, H);
    makeImage(`${tmp.dir}/blue.png`, '#0000ff', W, H);
    // Source seconds 0, 1: red, green (the outgoing of cut 18 ends on its green second).
    makeSteppedClip(`${tmp.dir}/steps2.mp4`, ['#ff0000', '#00ff00'], W, H);
    // Source seconds 0, 1, 2: red, green, blue.
    makeSteppedClip(`${tmp.dir}/steps3.mp4`, ['#ff0000', '#00ff00', '#0000ff'], W, H);
    result = await renderServedDraft(tmp.dir, (url) => {
      const d = new DraftBuilder({ width: W, height: H, fps: FPS });
      const image = (color: string) => d.video(url(`${color}.png`), { width: W, height: H, durationUs: 0, photo: true });
      const red = image('red');
      const blue = image('blue');
      const segments = NAMES.map((name, i) => ({
        materialId: i % 2 === 0 ? red : blue,
        startUs: i * SEGMENT_US,
        durationUs: SEGMENT_US,
        refs: [d.transition(name, WINDOW_US)],
      }));
      const steps2 = d.video(url('steps2.mp4'), { width: W, height: H, durationUs: 2_000_000 });
      const steps3 = d.video(url('steps3.mp4'), { width: W, height: H, durationUs: 3_000_000 });
      d.track('video', [
        ...segments,
        // Source 1.4..2.0 s: green up to the material's end at the cut; its 8-frame tail has no source.
        {
          materialId: steps2,
          startUs: 17 * SEGMENT_US,
          durationUs: SEGMENT_US,
          sourceStartUs: 1_400_000,
          refs: [d.transition('向左擦除', WINDOW_US)],
        },
        // From source 0: its 7-frame lead-in has no source before it.
        { materialId: steps3, startUs: 18 * SEGMENT_US, durationUs: 1_500_000 },
      ]);
      return d.toJSON();
    });
    frames = decodeFrames(result.outPath);
  }, 120_000);
  afterAll(() => {
    if (process.env.KEEP_RENDERS) console.log(`renders kept in ${tmp.dir}`);
    else tmp.cleanup();
  });

  it('reports only the approximated and unknown names', () => {
    console.log('render timings (s)', result.timingsSec);
    expect(frames).toHaveLength(result.durationFrames);
    const approximated = result.warnings.filter((w) => w.code === 'transition-approximated').map((w) => w.message);
    expect(approximated).toHaveLength(4);
    for (const name of ['故障', '翻页', '色彩溶解', '万花筒']) expect(approximated.join('\n')).toContain(name);
    expect(result.durationFrames).toBe(cutFrame(FREEZE_CUT) + 45);
  });

  it('flash-white peaks at white on the cut and is the pure pictures at the window edges', () => {
    // Edges: 1/15 of white over the picture (+17 levels).
    expect(colorDistance(at(1, -7, 48, 27), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(1, 7, 48, 27), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(1, 0, 48, 27), WHITE)).toBeLessThan(TOLERANCE);
    // Three frames before the cut (window frame 4): progress 4.5/15 = 0.3, white 0.6 over red: (255, 153, 153).
    expect(colorDistance(at(1, -3, 48, 27), mix(RED, WHITE, 0.6))).toBeLessThan(TOLERANCE);
    // Flash-black goes through black.
    expect(colorDistance(at(2, 0, 48, 27), BLACK)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(2, -7, 48, 27), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(2, 7, 48, 27), RED)).toBeLessThan(TOLERANCE);
  });

  it('push: both pictures move one canvas in the named direction', () => {
    // 左移 at the cut: the outgoing (red) has moved half a canvas left, the incoming (blue) fills the right half.
    expect(colorDistance(at(3, 0, 24, 27), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(3, 0, 72, 27), BLUE)).toBeLessThan(TOLERANCE);
    // Edges: 1/30 of a canvas (3 px) in, 29/30 through.
    expect(colorDistance(at(3, -7, 48, 27), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(3, 7, 48, 27), BLUE)).toBeLessThan(TOLERANCE);
    // 上移: the incoming (red) comes up from below: the bottom half at the cut.
    expect(colorDistance(at(4, 0, 48, 13), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(4, 0, 48, 40), RED)).toBeLessThan(TOLERANCE);
  });

  it('slide: the incoming moves in over the still outgoing picture', () => {
    // 向右: the incoming (blue) comes from the left: the left half at the cut.
    expect(colorDistance(at(5, 0, 24, 27), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(5, 0, 72, 27), RED)).toBeLessThan(TOLERANCE);
    // A quarter through (frame −4: progress 3.5/15 = 0.233): the incoming's edge at 0.233 × 96 = 22 px.
    expect(colorDistance(at(5, -4, 10, 27), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(5, -4, 40, 27), RED)).toBeLessThan(TOLERANCE);
  });

  it('wipe: the edge moves in the named direction and is half way at the cut', () => {
    // 向左擦除: the incoming (red) appears at the right; the edge at x = 48 on the cut.
    expect(colorDistance(at(6, 0, 40, 27, 1), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(6, 0, 56, 27, 1), RED)).toBeLessThan(TOLERANCE);
    // Frame −4: the edge at (1 − 0.233) × 96 = 73.6.
    expect(colorDistance(at(6, -4, 66, 27, 1), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(6, -4, 82, 27, 1), RED)).toBeLessThan(TOLERANCE);
    // 向下擦除: the incoming (blue) from the top; the edge at y = 27 on the cut.
    expect(colorDistance(at(7, 0, 48, 18, 1), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(7, 0, 48, 36, 1), RED)).toBeLessThan(TOLERANCE);
  });

  it('circle: the incoming in a growing circle, the corners still outgoing at the cut', () => {
    // Radius at the cut: half of half the diagonal (55.1 px) = 27.5 px.
    expect(colorDistance(at(8, 0, 48, 27), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(8, 0, 4, 4), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(8, 0, 48, 6, 1), RED)).toBeLessThan(TOLERANCE); // 21 px from the centre
    // At frame +7 the radius is 53 px: the corner at (4, 4) (50 px away) is incoming.
    expect(colorDistance(at(8, 7, 4, 4, 1), RED)).toBeLessThan(TOLERANCE);
  });

  it('zooms: 推近 grows both pictures, 拉远 shrinks them', () => {
    // 推近 at the cut: red at 1.5× under blue at 0.75× and half opacity: the centre mixes,
    // the corner (outside the 72×40.5 incoming) is red only.
    expect(colorDistance(at(9, 0, 48, 27), mix(RED, BLUE))).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(9, 0, 3, 3), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(9, -7, 3, 3), RED)).toBeLessThan(TOLERANCE);
    // At +7 the incoming is at 0.98× (its edge 1 px in from the canvas edge) and 97 % opaque.
    expect(colorDistance(at(9, 7, 8, 8), BLUE)).toBeLessThan(TOLERANCE);
    // 拉远 at the cut: blue at 0.75× over black, red at 1.5× and half opacity on top.
    expect(colorDistance(at(10, 0, 48, 27), mix(BLUE, RED))).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(10, 0, 3, 3), mix(BLACK, RED))).toBeLessThan(TOLERANCE);
  });

  it('blur: both pictures blur towards the cut (the canvas corners darken)', () => {
    const centre = at(11, 0, 48, 27);
    expect(colorDistance(centre, mix(RED, BLUE))).toBeLessThan(TOLERANCE);
    // A 2.9 px blur mixes the corner pixel with the transparent outside: well under half bright.
    const corner = frames[cutFrame(11)].at(0, 0);
    expect(corner[0] + corner[2]).toBeLessThan(0.7 * (centre[0] + centre[2]));
    expect(colorDistance(frames[cutFrame(11) - 7].at(0, 0), RED)).toBeLessThan(TOLERANCE + 20);
  });

  it('rotate: the pictures turn away, uncovering black corners at the cut', () => {
    // 45° turns: a canvas corner lies 55 px from the centre, 15.6° off a turned picture's long
    // axis: 53 px along it, past the picture's half width of 48 px. Both leave the corners empty.
    expect(colorDistance(frames[cutFrame(12)].at(0, 0), BLACK)).toBeLessThan(TOLERANCE);
    expect(colorDistance(frames[cutFrame(12)].at(95, 53), BLACK)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(12, 0, 48, 27), mix(BLUE, RED))).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(12, -7, 48, 27), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(12, 7, 48, 27), RED)).toBeLessThan(TOLERANCE);
  });

  it('glitch: clean at the edges, switched with a colour shift at the cut', () => {
    expect(colorDistance(at(13, -7, 48, 27), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(13, 7, 48, 27), BLUE)).toBeLessThan(TOLERANCE);
    // On the cut the incoming (blue) is shown hue-rotated by 180° × |jitter(14)| = 125.6°. CSS's
    // hue-rotate matrix takes blue to (0.072 − 0.072·cos θ + 0.928·sin θ, …) = (0.87, < 0, < 0): red.
    const cut = at(13, 0, 48, 27);
    expect(colorDistance(cut, BLUE)).toBeGreaterThan(200);
    expect(colorDistance(cut, [221, 0, 0])).toBeLessThan(TOLERANCE);
  });

  it('curtain: the incoming opens from the centre line', () => {
    // 横向拉幕 at the cut: the incoming (red) over x = 24..72.
    expect(colorDistance(at(14, 0, 48, 27), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(14, 0, 10, 27, 1), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(14, 0, 86, 27, 1), BLUE)).toBeLessThan(TOLERANCE);
  });

  it('page turn: the outgoing folds to the left, the incoming shows on the right', () => {
    // At the cut: red squeezed into x < 48 and darkened to 80 %, blue on the right half.
    expect(colorDistance(at(15, 0, 24, 27), mix(BLACK, RED, 0.8))).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(15, 0, 72, 27), BLUE)).toBeLessThan(TOLERANCE);
  });

  it('colour dissolve and unknown names blend half way at the cut', () => {
    expect(colorDistance(at(16, 0, 48, 27), mix(BLUE, RED))).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(16, -7, 48, 27), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(17, 0, 48, 27), mix(RED, GREEN))).toBeLessThan(TOLERANCE);
  });

  it('holds the outgoing clip’s last picture past its source and the incoming’s first before it', () => {
    const k = FREEZE_CUT;
    // Frame −1 (progress 6.5/15): the incoming fills x > 54 with its first picture (red), the
    // outgoing plays its last source frames (green) on the left.
    expect(colorDistance(at(k, -1, 80, 27), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(k, -1, 20, 27), GREEN)).toBeLessThan(TOLERANCE);
    // Frame +3 (progress 0.7): the outgoing's source has ended; its last picture stays on x < 29.
    expect(colorDistance(at(k, 3, 8, 27, 1), GREEN)).toBeLessThan(TOLERANCE);
    // The incoming's own start plays on the cut: at +25 it shows source 25/30 s (red), at +32
    // source 32/30 s (green). Shifted instead of frozen it would be 7 frames ahead (green at +25).
    expect(colorDistance(at(k, 25, 48, 27), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(k, 32, 48, 27), GREEN)).toBeLessThan(TOLERANCE);
  });
});
