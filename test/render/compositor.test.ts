// The compositor (one ffmpeg run, stills from the browser) against Remotion (the browser draws
// every frame) on one draft that uses what the compositor draws itself: Ken Burns key frames, a
// cross-fade, a sped-up and trimmed clip, a flipped half-transparent picture moving over it, an
// intro animation, a stroked caption typed in (打字机) and sound. Every frame must agree.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DraftBuilder } from '../helpers/draft-builder';
import { FFMPEG, makeImage, makeIndexedClip, makePatternClip, makePatternImage, makeTone, sourceFrameShown, tempDir } from '../helpers/media';
import { audioWindow, probe, rms, toneAmplitude } from '../helpers/probe';
import { decodeFrames } from './decoded-frames';
import type { Frame } from '../helpers/probe';
import { ENGINES, renderServedDraft } from './render-helpers';
import { sourceFrameIndex, sourceSecAt } from '../../src/timeline/source-time';
import type { SourceClock } from '../../src/timeline/types';
import type { RenderResult } from '../../src/render/types';
import { effectsDraft } from '../../bench/effects-draft';
import { makeEffectsMedia } from '../../bench/effects-media';
import { effectsPlan } from '../../bench/effects-plan';

const W = 320;
const H = 180;
const FPS = 30;

/** Mean absolute difference over all pixels and channels (0..255). */
const meanDifference = (a: Frame, b: Frame): number => {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < a.height; y += 2) {
    for (let x = 0; x < a.width; x += 2) {
      const p = a.at(x, y);
      const q = b.at(x, y);
      sum += Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]) + Math.abs(p[2] - q[2]);
      n += 3;
    }
  }
  return sum / n;
};

const draft = (url: (file: string) => string) => {
  const d = new DraftBuilder({ width: W, height: H, fps: FPS });
  const photo = d.video(url('photo.png'), { width: 640, height: 360, durationUs: 0, photo: true });
  const clip = d.video(url('clip.mp4'), { width: 640, height: 360, durationUs: 4_000_000 });
  const dot = d.video(url('dot.png'), { width: 40, height: 20, durationUs: 0, photo: true });
  const fadeIn = d.material('material_animations', {
    type: 'sticker_animation',
    animations: [{ id: 'a1', name: '渐显', type: 'in', start: 0, duration: 500_000 }],
  });
  d.track('video', [
    {
      materialId: photo,
      startUs: 0,
      durationUs: 1_500_000,
      refs: [d.transition('叠化', 400_000)],
      keyframes: [
        { property_type: 'KFTypeScale', keyframe_list: [
          { time_offset: 0, values: [1, 1] },
          { time_offset: 1_500_000, values: [1.3, 1.3] },
        ] },
        { property_type: 'KFTypePositionX', keyframe_list: [
          { time_offset: 0, values: [0] },
          { time_offset: 1_500_000, values: [0.1] },
        ] },
      ],
    },
    { materialId: clip, startUs: 1_500_000, durationUs: 1_500_000, sourceStartUs: 500_000, speed: 1.5 },
  ]);
  d.track('video', [
    {
      materialId: dot,
      startUs: 300_000,
      durationUs: 2_400_000,
      clip: { alpha: 0.7, scale: { x: 0.4, y: 0.4 }, flip: { horizontal: true } },
      refs: [fadeIn],
      keyframes: [
        { property_type: 'KFTypePositionX', keyframe_list: [
          { time_offset: 0, values: [-0.6] },
          { time_offset: 2_400_000, values: [0.6] },
        ] },
        { property_type: 'KFTypePositionY', keyframe_list: [
          { time_offset: 0, values: [0.5] },
          { time_offset: 2_400_000, values: [0.3] },
        ] },
      ],
    },
  ]);
  const typewriter = d.material('material_animations', {
    type: 'sticker_animation',
    animations: [{ id: 'a2', name: '打字机', type: 'in', start: 0, duration: 800_000 }],
  });
  d.track('text', [
    {
      materialId: d.text('字幕 Caption', { size: 8, color: [1, 1, 0], strokeColor: [0, 0, 0], strokeWidth: 0.08 }),
      startUs: 500_000,
      durationUs: 2_000_000,
      clip: { transform: { x: 0, y: -0.7 } },
      refs: [typewriter],
    },
  ]);
  d.track('audio', [{ materialId: d.audio(url('tone.wav'), 3_000_000), startUs: 0, durationUs: 3_000_000, volume: 0.5 }]);
  return d.toJSON();
};

describe('compositor and Remotion draw the same video', () => {
  const tmp = tempDir();
  let compositor: RenderResult;
  let lossless: RenderResult;
  let chunked: RenderResult;
  let remotion: RenderResult;
  let ours: Frame[];
  let reference: Frame[];
  const oursFrames = () => ours;

  beforeAll(async () => {
    makePatternImage(`${tmp.dir}/photo.png`, 640, 360);
    makePatternClip(`${tmp.dir}/clip.mp4`, 640, 360, 4);
    // Left half red, right half white: drawn unflipped, the frames would disagree.
    makeImage(`${tmp.dir}/white.png`, '#ffffff', 40, 20);
    makeImage(`${tmp.dir}/red.png`, '#ff0000', 20, 20);
    execFileSync(FFMPEG, ['-v', 'error', '-y', '-i', `${tmp.dir}/white.png`, '-i', `${tmp.dir}/red.png`,
      '-filter_complex', 'overlay=0:0', `${tmp.dir}/dot.png`]);
    makeTone(`${tmp.dir}/tone.wav`, 440, 3);
    compositor = await renderServedDraft(tmp.dir, draft, 'compositor.json', 'compositor');
    // 0.7 s chunks: five ffmpeg runs joined, the sound mixed once; the edges at frames 21 and 42
    // cut through the dot's fade-in (9–24) and the cross-fade (39–51).
    // Both losslessly encoded (crf 0), so the encoder's noise does not hide a difference.
    lossless = await renderServedDraft(tmp.dir, draft, 'lossless.json', 'compositor', { crf: 0 });
    chunked = await renderServedDraft(tmp.dir, draft, 'chunked.json', 'compositor', { crf: 0 }, { chunkSeconds: 0.7 });
    remotion = await renderServedDraft(tmp.dir, draft, 'remotion.json', 'remotion');
    ours = decodeFrames(compositor.outPath);
    reference = decodeFrames(remotion.outPath);
  }, 180_000);
  afterAll(() => {
    if (process.env.KEEP_RENDERS) console.log(`renders kept in ${tmp.dir}`);
    else tmp.cleanup();
  });

  it('uses the engines asked for', () => {
    expect(compositor.engine).toBe('compositor');
    expect(remotion.engine).toBe('remotion');
  });

  it('has the same streams, size, rate and length', () => {
    const { durationSec: oursSec, ...a } = probe(compositor.outPath);
    const { durationSec: theirsSec, ...b } = probe(remotion.outPath);
    expect(a).toEqual(b);
    // Remotion's container runs on by the AAC encoder's last packet.
    expect(Math.abs(oursSec - theirsSec)).toBeLessThan(0.1);
    expect(ours).toHaveLength(90);
    expect(reference).toHaveLength(90);
  });

  it('agrees on every frame', () => {
    const differences = ours.map((f, i) => meanDifference(f, reference[i]));
    const worst = Math.max(...differences);
    const mean = differences.reduce((s, v) => s + v, 0) / differences.length;
    console.log(`mean |compositor − remotion| per frame: mean ${mean.toFixed(2)}, worst ${worst.toFixed(2)} at frame ${differences.indexOf(worst)}`);
    // Only edges differ (whole-pixel placement, swscale vs Chromium resampling, JPEG frames); a
    // picture out of place by a few pixels or a missing layer measures 10–30.
    expect(mean).toBeLessThan(6);
    expect(worst).toBeLessThan(10);
  });

  it('types the caption in as Remotion does, character by character', () => {
    // The caption band (y = -0.7: rows 140–165), from the first typed frame to the last.
    const band = (a: Frame, b: Frame) => {
      let sum = 0;
      for (let y = 140; y < 166; y++) for (let x = 0; x < W; x += 2) {
        const p = a.at(x, y);
        const q = b.at(x, y);
        sum += Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]) + Math.abs(p[2] - q[2]);
      }
      return sum / (26 * (W / 2) * 3);
    };
    const typing = Array.from({ length: 26 }, (_, i) => 16 + i);
    const worst = Math.max(...typing.map((i) => band(oursFrames()[i], reference[i])));
    // Half typed against fully typed: what showing the wrong characters would measure.
    const wrongText = band(oursFrames()[24], oursFrames()[44]);
    console.log(`caption band: worst difference while typing ${worst.toFixed(1)}, half vs full text ${wrongText.toFixed(1)}`);
    expect(worst).toBeLessThan(wrongText / 2);
  });

  it('differs where the drafts differ: the check is not blind', () => {
    // Frames half a second apart (the photo zooms, the clip plays) differ far more than the engines do.
    expect(meanDifference(ours[10], ours[25])).toBeGreaterThan(8);
    expect(meanDifference(ours[60], ours[75])).toBeGreaterThan(8);
  });

  it('draws the same video in chunks as in one piece', () => {
    const { durationSec: wholeSec, ...whole } = probe(lossless.outPath);
    const { durationSec: chunkedSec, ...parts } = probe(chunked.outPath);
    expect(parts).toEqual(whole);
    expect(Math.abs(chunkedSec - wholeSec)).toBeLessThan(0.05);
    const frames = decodeFrames(chunked.outPath);
    const reference = decodeFrames(lossless.outPath);
    expect(frames).toHaveLength(90);
    // Alpha from lookup tables instead of fade filters differs by a level at most; a clip one
    // source frame off, or a picture out of place, measures 3 and more.
    const worst = Math.max(...frames.map((f, i) => meanDifference(f, reference[i])));
    expect(worst).toBeLessThan(0.5);
    const level = (file: string, at: number) => rms(audioWindow(file, at, 0.5));
    for (const at of [0.2, 0.9, 1.8, 2.4]) {
      expect(Math.abs(level(chunked.outPath, at) - level(lossless.outPath, at))).toBeLessThan(0.005);
    }
  });

  it('plays the sound at the same level', () => {
    const a = rms(audioWindow(compositor.outPath, 0.5, 2));
    const b = rms(audioWindow(remotion.outPath, 0.5, 2));
    expect(a).toBeGreaterThan(0.02);
    expect(Math.abs(a - b) / b).toBeLessThan(0.1);
  });
});

/** The GUI export's speed curve (draft-format.md §12), on a shorter source. */
const CURVE_POINTS = [
  { x: 0, y: 1 },
  { x: 0.25, y: 1 },
  { x: 0.5, y: 4.375 },
  { x: 0.75, y: 1 },
  { x: 1, y: 1 },
];
/** 2.5 s of source at the curve's mean speed 86/59: 1.715 s, drawn as 51 frames. */
const CURVE_SOURCE_SEC = 2.5;
const CURVE_FRAMES = 51;

describe('compositor and Remotion show the same source frame: exact start, speed, speed curve, other fps', () => {
  const tmp = tempDir();
  const shown: Record<string, number[]> = {};
  const shown25: Record<string, number[]> = {};
  const outs: Record<string, string> = {};
  /** Segments of 12 frames from frame 0; then the curve from frame 36. */
  const curveClock: SourceClock = {
    sourceStartSec: 0,
    playbackRate: CURVE_SOURCE_SEC / (CURVE_FRAMES / FPS),
    speedCurve: { points: CURVE_POINTS, sourceSec: CURVE_SOURCE_SEC, durationSec: CURVE_FRAMES / FPS, leadSec: 0 },
  };
  const at = (frame: number) => frame / FPS;

  beforeAll(async () => {
    // Source frame N shows N; source second k sounds 440, 660, 880, 1100 Hz.
    makeIndexedClip(`${tmp.dir}/indexed.mp4`, { width: 32, height: 18, durationSec: 4, toneHz: [440, 660, 880, 1100] });
    const clipOf = (d: DraftBuilder, url: (file: string) => string) => d.video(url('indexed.mp4'), { width: 32, height: 18, durationUs: 4_000_000 });
    const sourceDraft = (url: (file: string) => string) => {
      const d = new DraftBuilder({ width: 32, height: 18, fps: FPS });
      const clip = clipOf(d, url);
      const speed = d.material('speeds', {
        type: 'speed',
        mode: 1,
        speed: 86 / 59,
        curve_speed: { id: 'curve', name: '自定义', speed_points: CURVE_POINTS },
      });
      d.track('video', [
        // Between two source frames: 216 667 µs is 6.5 frames.
        { materialId: clip, startUs: 0, durationUs: 400_000, sourceStartUs: 216_667 },
        // Source 0.6 → 1.4 s: its sound switches 440 → 660 Hz at 0.6 s, the engine's sound offset.
        { materialId: clip, startUs: 400_000, durationUs: 400_000, sourceStartUs: 600_000, speed: 2 },
        { materialId: clip, startUs: 800_000, durationUs: 400_000, sourceStartUs: 300_000, speed: 1.5 },
        {
          materialId: clip,
          startUs: 1_200_000,
          durationUs: 1_700_000,
          speed: 86 / 59,
          sourceDurationUs: CURVE_SOURCE_SEC * 1e6,
          refs: [speed],
        },
      ]);
      return d.toJSON();
    };
    const otherFpsDraft = (url: (file: string) => string) => {
      const d = new DraftBuilder({ width: 32, height: 18, fps: 25 });
      d.track('video', [{ materialId: clipOf(d, url), startUs: 0, durationUs: 1_000_000, sourceStartUs: 100_000 }]);
      return d.toJSON();
    };
    for (const engine of ENGINES) {
      const result = await renderServedDraft(tmp.dir, sourceDraft, `${engine}.json`, engine);
      expect(result.engine).toBe(engine);
      outs[engine] = result.outPath;
      shown[engine] = decodeFrames(result.outPath).map((f) => sourceFrameShown(f.mean(16, 9, 3)));
      const other = await renderServedDraft(tmp.dir, otherFpsDraft, `${engine}-25.json`, engine);
      shown25[engine] = decodeFrames(other.outPath).map((f) => sourceFrameShown(f.mean(16, 9, 3)));
    }
  }, 240_000);
  afterAll(() => tmp.cleanup());

  it.each(ENGINES)('%s: a start between two source frames shows the one before it (frame n shows n + 6)', (engine) => {
    expect(shown[engine].slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, n) => n + 6));
  });

  it.each(ENGINES)('%s: speed 2 shows source frame 18 + 2n from 0.6 s, speed 1.5 the last frame at or before its time', (engine) => {
    expect(shown[engine].slice(12, 24)).toEqual(Array.from({ length: 12 }, (_, n) => 18 + 2 * n));
    expect(shown[engine].slice(24, 36)).toEqual(Array.from({ length: 12 }, (_, k) => 9 + Math.floor(1.5 * k)));
  });

  it.each(ENGINES)('%s: plays a speed curve as a curve: its 51 frames, the source positions of the rule', (engine) => {
    expect(shown[engine]).toHaveLength(36 + CURVE_FRAMES);
    const curve = shown[engine].slice(36);
    const expected = Array.from({ length: CURVE_FRAMES }, (_, k) => sourceFrameIndex(sourceSecAt(curveClock, k, FPS), 30));
    expect(curve).toEqual(expected);
    // At 1× for the first quarter of the source, 4.375× at the top of the hump, the whole source at the end.
    expect(curve.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(curve[26] - curve[25]).toBeGreaterThanOrEqual(4);
    expect(curve[CURVE_FRAMES - 1]).toBeGreaterThanOrEqual(73);
    expect(curve[CURVE_FRAMES - 1]).toBeLessThanOrEqual(74);
  });

  it.each(ENGINES)('%s: plays the curve segment\'s sound from the same source moments', (engine) => {
    // The output time at which the curve reaches source second 1 (440 → 660 Hz) and 2 (660 → 880 Hz).
    const reach = (sourceSec: number) => {
      let lo = 0;
      let hi = CURVE_FRAMES;
      for (let i = 0; i < 50; i++) {
        const mid = (lo + hi) / 2;
        if (sourceSecAt(curveClock, mid, FPS) < sourceSec) lo = mid;
        else hi = mid;
      }
      return at(36) + lo / FPS;
    };
    // The whole sound decoded once; 10 ms windows of it.
    const pcm = audioWindow(outs[engine], 0, 4);
    const level = (hz: number, from: number) => toneAmplitude(pcm.subarray(Math.round(from * 48_000), Math.round((from + 0.01) * 48_000)), hz) / 0.125;
    /** Middle of the first 10 ms window after `from` where `after` is heard louder than `before`. */
    const switchAt = (from: number, before: number, after: number) => {
      for (let t = from; t < from + 0.6; t += 0.002) if (level(after, t) > 0.5 && level(after, t) > level(before, t)) return t + 0.005;
      return Infinity;
    };
    // The sped-up segment (source 0.6 s at 0.4 s, speed 2) switches at 0.6 s: the engine's offset.
    // (Remotion's MP4s carry 2048 AAC priming samples without an edit list: their sound is 43 ms late.)
    const offset = switchAt(0.45, 440, 660) - 0.6;
    expect(Math.abs(offset)).toBeLessThan(0.05);
    for (const [sourceSec, before, after] of [[1, 440, 660], [2, 660, 880]]) {
      const t = reach(sourceSec);
      // The sound is played in pieces of one speed each, within 16 ms of the picture.
      expect(Math.abs(switchAt(t - 0.2, before, after) - offset - t)).toBeLessThan(0.02);
      // Pitch is kept: the tones are heard at their own frequencies.
      expect(level(before, t - 0.3)).toBeGreaterThan(0.5);
    }
  });

  it.each(ENGINES)('%s: at 25 fps over a 30 fps source, frame k shows the last source frame at or before 0.1 s + k/25', (engine) => {
    expect(shown25[engine]).toEqual(Array.from({ length: 25 }, (_, k) => 3 + Math.floor(1.2 * k + 1e-9)));
  });
});

describe('compositor and Remotion draw the same transitions', () => {
  const tmp = tempDir();
  const NAMES = ['闪白', '左移', '推近', '拉远', '向左滑动', '旋转', '闪黑'];
  const rendered: Record<string, RenderResult> = {};

  beforeAll(async () => {
    // Large blocks of colour: a picture out of place shows over whole blocks, while resampling
    // differences stay on the few edge pixels.
    execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i',
      'color=red:s=320x180,drawbox=x=160:y=0:w=160:h=90:color=green:t=fill,drawbox=x=0:y=90:w=160:h=90:color=yellow:t=fill',
      '-frames:v', '1', `${tmp.dir}/a.png`]);
    makeImage(`${tmp.dir}/b.png`, '#3050c0', 32, 18);
    // Segments of 0.6 s alternate a four-colour picture and a blue one, a 0.4 s transition at each cut.
    const transitionsDraft = (url: (file: string) => string) => {
      const d = new DraftBuilder({ width: 160, height: 90, fps: FPS });
      const clip = d.video(url('a.png'), { width: 320, height: 180, durationUs: 0, photo: true });
      const blue = d.video(url('b.png'), { width: 32, height: 18, durationUs: 0, photo: true });
      d.track(
        'video',
        [...NAMES, ''].map((name, i) => ({
          materialId: i % 2 ? blue : clip,
          startUs: i * 600_000,
          durationUs: 600_000,
          refs: name ? [d.transition(name, 400_000)] : [],
        })),
      );
      return d.toJSON();
    };
    for (const engine of ['compositor', 'remotion'] as const) {
      rendered[engine] = await renderServedDraft(tmp.dir, transitionsDraft, `${engine}.json`, engine);
    }
  }, 120_000);
  afterAll(() => {
    if (process.env.KEEP_RENDERS) console.log(`renders kept in ${tmp.dir}`);
    else tmp.cleanup();
  });

  it(`agrees on every frame of ${NAMES.join(', ')}`, () => {
    expect(rendered.compositor.engine).toBe('compositor');
    const ours = decodeFrames(rendered.compositor.outPath);
    const reference = decodeFrames(rendered.remotion.outPath);
    expect(ours).toHaveLength(reference.length);
    const differences = ours.map((f, i) => meanDifference(f, reference[i]));
    const worst = Math.max(...differences);
    console.log(`transitions: mean |compositor − remotion| worst ${worst.toFixed(2)} at frame ${differences.indexOf(worst)}`);
    expect(worst).toBeLessThan(10);
  });
});

describe('layers the browser draws for the compositor agree with Remotion drawing every frame', () => {
  // The effects benchmark video packed into 4 s (bench/effects-plan.ts, compact): a 模糊 and a
  // 向左擦除 transition, a blurred canvas behind a landscape clip, a circle-masked clip, a GIF
  // sticker and a karaoke caption, on gradients (whose edges every engine resamples alike). What
  // ffmpeg draws of them (the blurred canvas, the GIF, the masked clip through its mask) is
  // checked here too.
  const tmp = tempDir();
  const plan = effectsPlan({ widthPx: 180, heightPx: 320 }, { compact: true });
  let hybrid: RenderResult;
  let remotion: RenderResult;
  let lossless: RenderResult;
  let chunked: RenderResult;
  let ours: Frame[];
  let differences: number[];

  beforeAll(async () => {
    await makeEffectsMedia(plan, tmp.dir, path.join(tmp.dir, 'floor'), { smooth: true });
    const draft = (url: (file: string) => string) => effectsDraft(plan, url);
    hybrid = await renderServedDraft(tmp.dir, draft, 'hybrid.json', 'auto');
    remotion = await renderServedDraft(tmp.dir, draft, 'remotion.json', 'remotion');
    // Chunks of 1.3 s cut through the wipe (3 s) and the karaoke sweep; each draws its own tiles.
    lossless = await renderServedDraft(tmp.dir, draft, 'lossless.json', 'auto', { crf: 0 });
    chunked = await renderServedDraft(tmp.dir, draft, 'chunked.json', 'auto', { crf: 0 }, { chunkSeconds: 1.3 });
    ours = decodeFrames(hybrid.outPath);
    const reference = decodeFrames(remotion.outPath);
    expect(ours).toHaveLength(reference.length);
    differences = ours.map((f, i) => meanDifference(f, reference[i]));
  }, 240_000);
  afterAll(() => {
    if (process.env.KEEP_RENDERS) console.log(`renders kept in ${tmp.dir}`);
    else tmp.cleanup();
  });

  it('auto takes the compositor and says which layers the browser drew, and why', () => {
    expect(hybrid.engine).toBe('compositor');
    const why = (hybrid.browserDrawn ?? []).map((d) => `${d.kind}: ${d.why}`);
    expect(why).toEqual(
      expect.arrayContaining([
        'image: a blurring transition',
        'video: a blurring transition',
        'image: a wipe / reveal transition',
        expect.stringMatching(/^video: a mask/),
        'text: karaoke text',
      ]),
    );
    // The blurred canvas is ffmpeg's (gblur), the GIF's images ffmpeg's, timed by the player's rule.
    expect(why.join()).not.toMatch(/canvas|gif/i);
    // Only the transitions' frames are posed: 12 frames each side of the 0.4 s blur, 12 of the wipe.
    const tiles = Object.fromEntries((hybrid.browserDrawn ?? []).map((d) => [`${d.kind}: ${d.why}`, d.tiles]));
    expect(tiles['image: a wipe / reveal transition']).toBe(12);
  });

  it('agrees with Remotion on every frame', () => {
    const worst = Math.max(...differences);
    const mean = differences.reduce((s, v) => s + v, 0) / differences.length;
    console.log(`browser-drawn layers: mean |hybrid − remotion| per frame: mean ${mean.toFixed(2)}, worst ${worst.toFixed(2)} at frame ${differences.indexOf(worst)}`);
    expect(differences).toHaveLength(120);
    expect(worst).toBeLessThan(6);
    // Not blind: the same video a second apart differs far more.
    expect(meanDifference(ours[20], ours[50])).toBeGreaterThan(15);
  });

  it('draws the same tiles in chunks as in one piece (a farm worker draws a chunk alone)', () => {
    const whole = decodeFrames(lossless.outPath);
    const parts = decodeFrames(chunked.outPath);
    expect(parts).toHaveLength(whole.length);
    const worst = Math.max(...parts.map((f, i) => meanDifference(f, whole[i])));
    expect(worst).toBeLessThan(0.5);
  });
});
