// The compositor (one ffmpeg run, stills from the browser) against Remotion (the browser draws
// every frame) on one draft that uses what the compositor draws itself: Ken Burns key frames, a
// cross-fade, a sped-up and trimmed clip, a flipped half-transparent picture moving over it, an
// intro animation, a stroked caption typed in (打字机) and sound. Every frame must agree.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DraftBuilder } from '../helpers/draft-builder';
import { FFMPEG, makeImage, makePatternClip, makePatternImage, makeTone, tempDir } from '../helpers/media';
import { audioWindow, probe, rms } from '../helpers/probe';
import { decodeFrames } from './decoded-frames';
import type { Frame } from '../helpers/probe';
import { renderServedDraft } from './render-helpers';
import type { RenderResult } from '../../src/render/types';

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

/** Source frame j of the cycling clip is red, green or blue by j mod 3. */
const CYCLE = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
];

describe('compositor and Remotion show the same source frame', () => {
  const tmp = tempDir();
  const startSec = 0.21;
  const speed = 1.5;
  const shown: Record<string, number[]> = {};

  beforeAll(async () => {
    execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i',
      "nullsrc=s=32x18:r=30:d=4,format=gbrp,geq=r='255*eq(mod(N,3),0)':g='255*eq(mod(N,3),1)':b='255*eq(mod(N,3),2)'",
      '-c:v', 'libx264', '-qp', '0', '-pix_fmt', 'yuv420p', '-g', '30', `${tmp.dir}/cycle.mp4`]);
    const cycleDraft = (url: (file: string) => string) => {
      const d = new DraftBuilder({ width: 32, height: 18, fps: FPS });
      const clip = d.video(url('cycle.mp4'), { width: 32, height: 18, durationUs: 4_000_000 });
      d.track('video', [{ materialId: clip, startUs: 0, durationUs: 1_000_000, sourceStartUs: startSec * 1e6, speed }]);
      return d.toJSON();
    };
    for (const engine of ['compositor', 'remotion'] as const) {
      const result = await renderServedDraft(tmp.dir, cycleDraft, `${engine}.json`, engine);
      shown[engine] = decodeFrames(result.outPath).map((f) => {
        const c = f.mean(16, 9, 3);
        return CYCLE.findIndex((k) => Math.abs(k[0] - c[0]) + Math.abs(k[1] - c[1]) + Math.abs(k[2] - c[2]) < 150);
      });
    }
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('shows, on each frame, the last source frame at or before its source time', () => {
    const expected = Array.from({ length: 30 }, (_, k) => Math.floor((startSec + (k / FPS) * speed) * FPS + 1e-9) % 3);
    expect(shown.remotion).toEqual(expected);
    expect(shown.compositor).toEqual(expected);
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
