// Geometry, time and opacity rules checked on the rendered pixels of a synthetic draft.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DraftBuilder } from '../helpers/draft-builder';
import { makeColorClip, makeImage, makeRgbImage, makeSteppedClip, makeTaggedClip, tempDir } from '../helpers/media';
import { colorDistance, frameAt, probe, readImage } from '../helpers/probe';
import { decodeFrames } from './decoded-frames';
import { ENGINES, renderServedDraft } from './render-helpers';
import type { RenderResult } from '../../src/render/types';
import { bezierValue } from '../../src/timeline/track';

const W = 160;
const H = 90;
const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];
const WHITE = [255, 255, 255];
/** H.264 at yuv420p moves flat colours by a few levels. */
const TOLERANCE = 24;

describe.each(ENGINES)('picture (%s): cut order, trim, speed, y-up transform, scale, alpha, keyframes, cross-fade', (engine) => {
  const tmp = tempDir();
  let out: string;
  let result: RenderResult;

  beforeAll(async () => {
    // Source seconds 0,1,2,3 are red, green, blue, yellow: a pixel tells the source time.
    makeSteppedClip(`${tmp.dir}/steps.mp4`, ['#ff0000', '#00ff00', '#0000ff', '#ffff00'], 64, 36);
    makeImage(`${tmp.dir}/white.png`, '#ffffff', 40, 40);
    for (const color of ['red', 'blue']) {
      makeColorClip(`${tmp.dir}/${color}.mp4`, { color, width: 64, height: 36, durationSec: 3 });
    }
    result = await renderServedDraft(tmp.dir, (url) => {
      const d = new DraftBuilder({ width: W, height: H, fps: 30 });
      const steps = () => d.video(url('steps.mp4'), { width: 64, height: 36, durationUs: 4_000_000 });
      const white = () => d.video(url('white.png'), { width: 40, height: 40, durationUs: 0, photo: true });
      const solid = (color: string) => d.video(url(`${color}.mp4`), { width: 64, height: 36, durationUs: 3_000_000 });
      const fade = d.transition('叠化', 500_000);
      d.track('video', [
        // 0–1 s: source 0–1 s (red).
        { materialId: steps(), startUs: 0, durationUs: 1_000_000 },
        // 1–2 s: source trimmed to start at 2 s (blue).
        { materialId: steps(), startUs: 1_000_000, durationUs: 1_000_000, sourceStartUs: 2_000_000 },
        // 2–3 s: speed 2 from source 0: red until 2.5 s, then green.
        { materialId: steps(), startUs: 2_000_000, durationUs: 1_000_000, speed: 2 },
        // 3–4 s red, then 4–4.6 s blue, with a 0.5 s cross-fade centred on the cut at 4 s: the
        // outgoing clip plays on past the cut, the incoming one starts early in its source.
        { materialId: solid('red'), startUs: 3_000_000, durationUs: 1_000_000, sourceStartUs: 500_000, refs: [fade] },
        { materialId: solid('blue'), startUs: 4_000_000, durationUs: 600_000, sourceStartUs: 500_000 },
      ]);
      d.track('video', [
        // A 40×40 image fits as 90×90; scale 0.2 → 18×18 centred at x=+0.5, y=+0.5 (up): (120, 22.5).
        { materialId: white(), startUs: 0, durationUs: 1_000_000, clip: { scale: { x: 0.2, y: 0.2 }, transform: { x: 0.5, y: 0.5 } } },
        // Half transparent at (40, 67.5) over red: (255, 128, 128).
        { materialId: white(), startUs: 0, durationUs: 1_000_000, clip: { alpha: 0.5, scale: { x: 0.2, y: 0.2 }, transform: { x: -0.5, y: -0.5 } } },
      ]);
      d.track('video', [
        // Alpha keyframes 0 → 1 over the first second (listed out of order, one duplicated).
        {
          materialId: white(),
          startUs: 0,
          durationUs: 1_000_000,
          clip: { scale: { x: 0.2, y: 0.2 }, transform: { x: 0, y: 0 } },
          keyframes: [
            { property_type: 'KFTypeAlpha', keyframe_list: [
              { time_offset: 1_000_000, values: [1] },
              { time_offset: 0, values: [0] },
              { time_offset: 0, values: [0] },
            ] },
          ],
        },
      ]);
      d.track('video', [
        // 1–2 s: curved key frames. A square moving x −0.6 → +0.6 (centre 32 → 128 px) with
        // CSS ease-in, cubic-bezier(0.42, 0, 1, 1): right handle (0.42 s, 0), left handle (0, 0).
        {
          materialId: white(),
          startUs: 1_000_000,
          durationUs: 1_000_000,
          clip: { scale: { x: 0.2, y: 0.2 }, transform: { x: -0.6, y: 0.7 } },
          keyframes: [
            { property_type: 'KFTypePositionX', keyframe_list: [
              { time_offset: 0, values: [-0.6], curveType: 'FreeCurveInOut', left_control: { x: 0, y: 0 }, right_control: { x: 420_000, y: 0 } },
              { time_offset: 1_000_000, values: [0.6], curveType: 'FreeCurveInOut', left_control: { x: 0, y: 0 }, right_control: { x: 0, y: 0 } },
            ] },
          ],
        },
        // A square fading in 0 → 1 with CapCut's "Cubic Out": right handle (0.32 s, +0.94),
        // left handle (−0.4 s, 0): cubic-bezier(0.32, 0.94, 0.6, 1).
        {
          materialId: white(),
          startUs: 1_000_000,
          durationUs: 1_000_000,
          clip: { scale: { x: 0.2, y: 0.2 }, transform: { x: 0.6, y: -0.3 } },
          keyframes: [
            { property_type: 'KFTypeAlpha', keyframe_list: [
              { time_offset: 0, values: [0], curveType: 'FreeCurveInOut', left_control: { x: 0, y: 0 }, right_control: { x: 320_000, y: 0.94 } },
              { time_offset: 1_000_000, values: [1], curveType: 'FreeCurveInOut', left_control: { x: -400_000, y: 0 }, right_control: { x: 0, y: 0 } },
            ] },
          ],
        },
      ]);
      return d.toJSON();
    }, 'draft.json', engine);
    expect(result.engine).toBe(engine);
    out = result.outPath;
  });
  afterAll(() => tmp.cleanup());

  it('is an H.264/AAC MP4 of the draft size, rate and length', () => {
    const p = probe(out);
    expect(p.width).toBe(W);
    expect(p.height).toBe(H);
    expect(p.fps).toBe(30);
    expect(p.videoCodec).toBe('h264');
    expect(p.pixelFormat).toBe('yuv420p');
    expect(p.audioCodec).toBe('aac');
    expect(p.durationSec).toBeGreaterThan(4.5);
    expect(p.durationSec).toBeLessThan(4.8);
    expect(result.durationFrames).toBe(138);
  });

  it('plays segments in order with source trim and speed', () => {
    expect(colorDistance(frameAt(out, 0.5).mean(10, 80), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(frameAt(out, 1.5).mean(10, 80), BLUE)).toBeLessThan(TOLERANCE);
    expect(colorDistance(frameAt(out, 2.2).mean(10, 80), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(frameAt(out, 2.8).mean(10, 80), GREEN)).toBeLessThan(TOLERANCE);
  });

  it('places layers with y up, contain fit and scale', () => {
    const f = frameAt(out, 0.5);
    expect(colorDistance(f.mean(120, 22, 3), WHITE)).toBeLessThan(TOLERANCE);
    // Just outside the 18×18 box, and the y-mirrored place, show the red underneath.
    expect(colorDistance(f.mean(120, 36, 1), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(f.mean(132, 22, 1), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(f.mean(120, 67, 3), RED)).toBeLessThan(TOLERANCE);
  });

  it('applies static alpha and alpha keyframes', () => {
    const f = frameAt(out, 0.5);
    expect(colorDistance(f.mean(40, 67, 3), [255, 128, 128])).toBeLessThan(TOLERANCE);
    // Keyframed alpha: ≈ 0.5 at 0.5 s (frame 15 of 0..30), ≈ 0.13 at 0.133 s.
    expect(colorDistance(f.mean(80, 45, 3), [255, 128, 128])).toBeLessThan(TOLERANCE);
    const early = frameAt(out, 4 / 30).mean(80, 45, 3);
    expect(early[1]).toBeLessThan(60);
    expect(early[1]).toBeGreaterThan(10);
  });

  it('cross-fades over a window centred on the cut', () => {
    // Window of 15 frames around frame 120: the incoming clip fades in over frames 113..127, half way at frame 120.
    const at = (frame: number) => frameAt(out, frame / 30).mean(10, 80);
    expect(colorDistance(at(111), RED)).toBeLessThan(TOLERANCE);
    expect(colorDistance(at(120), [128, 0, 128])).toBeLessThan(TOLERANCE);
    // A quarter and three quarters of the way: the blend moves steadily from red to blue.
    expect(at(116)[0]).toBeGreaterThan(at(120)[0] + 30);
    expect(at(124)[2]).toBeGreaterThan(at(120)[2] + 30);
    expect(colorDistance(at(129), BLUE)).toBeLessThan(TOLERANCE);
  });

  it('draws curved key frames as their Bézier: an eased move and an eased fade', () => {
    const easeIn = { x1: 0.42, y1: 0, x2: 1, y2: 1 };
    const cubicOut = { x1: 0.32, y1: 0.94, x2: 0.6, y2: 1 };
    for (const layerFrame of [10, 15, 20]) {
      const f = frameAt(out, (30 + layerFrame) / 30);
      // The square's centre: the middle of the white run on its row (y = 13).
      const white = Array.from({ length: W }, (_, x) => x).filter((x) => f.at(x, 13)[1] > 200);
      const centre = (white[0] + white[white.length - 1] + 1) / 2;
      const expected = 32 + 96 * bezierValue(easeIn, 0, 1, layerFrame / 30);
      const linear = 32 + 96 * (layerFrame / 30);
      console.log(`${engine} frame ${layerFrame}: centre ${centre} (Bézier ${expected.toFixed(1)}, linear ${linear.toFixed(1)}), red ${f.mean(128, 58, 3)[0].toFixed(1)} (Bézier ${(255 * bezierValue(cubicOut, 0, 1, layerFrame / 30)).toFixed(1)})`);
      expect(Math.abs(centre - expected)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(centre - linear)).toBeGreaterThan(8);
      // White at the eased opacity over the blue clip: red = 255 × opacity.
      const opacity = bezierValue(cubicOut, 0, 1, layerFrame / 30);
      const red = f.mean(128, 58, 3)[0];
      expect(Math.abs(red - 255 * opacity)).toBeLessThan(10);
      expect(Math.abs(red - 255 * (layerFrame / 30))).toBeGreaterThan(40);
    }
  });
});

/** Colours drawn with each kind of source: both engines within 2 levels of the source, greys grey. */
const COLOR_SOURCES = ['untagged', 'untagged-hd', 'bt709', 'bt601', 'png', 'jpg'] as const;
const SOURCE_COLORS = ['0x808080', '0x404040', '0xff0000', '0xc86432'];

describe.each(ENGINES)('colours (%s): follow the source\'s tags, untagged read as BT.601', (engine) => {
  const tmp = tempDir();
  const sourceRgb: Record<string, number[]> = {};
  const drawnRgb: Record<string, number[]> = {};
  const fileOf = (kind: (typeof COLOR_SOURCES)[number], ci: number) =>
    `c${ci}-${kind}.${kind === 'png' ? 'png' : kind === 'jpg' ? 'jpg' : 'mp4'}`;

  beforeAll(async () => {
    SOURCE_COLORS.forEach((color, ci) => {
      for (const kind of COLOR_SOURCES) {
        const file = `${tmp.dir}/${fileOf(kind, ci)}`;
        if (kind === 'png' || kind === 'jpg') makeRgbImage(file, color, 32, 18);
        else if (kind === 'untagged-hd') makeTaggedClip(file, { color, width: 1280, height: 720, durationSec: 0.3, tags: 'untagged' });
        else makeTaggedClip(file, { color, width: 32, height: 18, durationSec: 0.3, tags: kind });
        // The source as ffmpeg decodes it (it reads untagged YUV as BT.601).
        sourceRgb[`${kind} ${ci}`] = (kind === 'png' || kind === 'jpg' ? readImage(file) : frameAt(file, 0)).mean(8, 8, 2);
      }
    });
    const result = await renderServedDraft(tmp.dir, (url) => {
      const d = new DraftBuilder({ width: W, height: H, fps: 30 });
      // One colour per track; one kind of source after the other, 0.2 s each.
      SOURCE_COLORS.forEach((_, ci) => {
        d.track('video', COLOR_SOURCES.map((kind, ki) => {
          const photo = kind === 'png' || kind === 'jpg';
          const hd = kind === 'untagged-hd';
          return {
            materialId: d.video(url(fileOf(kind, ci)), { width: hd ? 1280 : 32, height: hd ? 720 : 18, durationUs: photo ? 0 : 300_000, photo }),
            startUs: ki * 200_000,
            durationUs: 200_000,
            // A quadrant each: large enough that JPEG frames' chroma blocks stay inside.
            clip: { scale: { x: 0.5, y: 0.5 }, transform: { x: ci % 2 ? 0.5 : -0.5, y: ci < 2 ? 0.5 : -0.5 } },
          };
        }));
      });
      return d.toJSON();
      // Near-lossless H.264 (Remotion refuses crf 0): at the default crf 20 the encoder alone
      // moves a flat colour that changes from cut to cut by up to 3 levels, hiding what is measured.
    }, 'colors.json', engine, { crf: 1 });
    expect(result.engine).toBe(engine);
    const frames = decodeFrames(result.outPath);
    SOURCE_COLORS.forEach((_, ci) => COLOR_SOURCES.forEach((kind, ki) => {
      drawnRgb[`${kind} ${ci}`] = frames[ki * 6 + 3].mean(ci % 2 ? 120 : 40, ci < 2 ? 22 : 67, 3);
    }));
  });
  afterAll(() => tmp.cleanup());

  it.each(COLOR_SOURCES)('draws a %s source within 2 levels of its colours, greys neutral', (kind) => {
    SOURCE_COLORS.forEach((color, ci) => {
      const source = sourceRgb[`${kind} ${ci}`];
      const drawn = drawnRgb[`${kind} ${ci}`];
      console.log(`${engine} ${kind} ${color}: source ${source.map((v) => v.toFixed(0))} drawn ${drawn.map((v) => v.toFixed(1))}`);
      expect(colorDistance(drawn, source)).toBeLessThanOrEqual(2);
      if (ci < 2) expect(Math.max(...drawn) - Math.min(...drawn)).toBeLessThanOrEqual(1);
    });
  });
});
