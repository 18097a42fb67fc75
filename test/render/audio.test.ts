// Sound rules checked on the rendered audio: volume, fades, tones in sequence, muted tracks,
// the sound of video segments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DraftBuilder } from '../helpers/draft-builder';
import { makeColorClip, makeTone, tempDir } from '../helpers/media';
import { audioWindow, probe, toneAmplitude } from '../helpers/probe';
import { renderServedDraft } from './render-helpers';

/** ffmpeg's sine source has a peak amplitude of 1/8. */
const SINE = 0.125;

/**
 * The two mixers: ffmpeg's (every local render when there is an ffmpeg: one mix for either
 * engine and for a farm's chunks) and Remotion's own (no ffmpeg here, and Remotion Lambda).
 */
const MIXERS = [
  { engine: 'compositor' as const, mixer: 'ffmpeg', settings: {} },
  { engine: 'remotion' as const, mixer: 'remotion', settings: { ffmpegPath: '/nonexistent/ffmpeg' } },
];

describe.each(MIXERS)('audio ($mixer mix): volume, fades, sequence, mute, video sound', ({ engine, settings }) => {
  const tmp = tempDir();
  let out: string;
  const level = (hz: number, startSec: number, durationSec: number) =>
    toneAmplitude(audioWindow(out, startSec, durationSec), hz) / SINE;

  beforeAll(async () => {
    makeTone(`${tmp.dir}/a440.m4a`, 440, 4);
    makeTone(`${tmp.dir}/a880.mp3`, 880, 4);
    makeTone(`${tmp.dir}/a1500.wav`, 1500, 4);
    makeColorClip(`${tmp.dir}/v660.mp4`, { color: 'gray', width: 64, height: 36, durationSec: 2, toneHz: 660 });
    makeColorClip(`${tmp.dir}/v440.mp4`, { color: 'gray', width: 64, height: 36, durationSec: 4, toneHz: 440 });
    const result = await renderServedDraft(tmp.dir, (url) => {
      const d = new DraftBuilder({ width: 64, height: 36, fps: 30 });
      const a440 = () => d.audio(url('a440.m4a'), 4_000_000);
      d.track('audio', [
        { materialId: a440(), startUs: 0, durationUs: 1_000_000 },
        { materialId: d.audio(url('a880.mp3'), 4_000_000), startUs: 1_000_000, durationUs: 1_000_000, volume: 0.25 },
        { materialId: a440(), startUs: 2_000_000, durationUs: 1_000_000, refs: [d.audioFade(1_000_000, 0)] },
      ]);
      // Bit 0 of attribute: the track is muted.
      d.track('audio', [{ materialId: d.audio(url('a1500.wav'), 4_000_000), startUs: 0, durationUs: 3_000_000 }], {
        attribute: 1,
      });
      d.track('video', [
        {
          materialId: d.video(url('v660.mp4'), { width: 64, height: 36, durationUs: 2_000_000 }),
          startUs: 3_000_000,
          durationUs: 1_000_000,
          volume: 0.5,
        },
      ]);
      // 4–7 s: three cuts of one 440 Hz clip, each playing the same source second at the same
      // moment, so their tones are in phase: a 0.4 s 叠化 at 5 s and a 0.4 s 左移 at 6 s, the third
      // clip at volume 0.5.
      const v440 = () => d.video(url('v440.mp4'), { width: 64, height: 36, durationUs: 4_000_000 });
      d.track('video', [
        { materialId: v440(), startUs: 4_000_000, durationUs: 1_000_000, refs: [d.transition('叠化', 400_000)] },
        { materialId: v440(), startUs: 5_000_000, durationUs: 1_000_000, sourceStartUs: 1_000_000, refs: [d.transition('左移', 400_000)] },
        { materialId: v440(), startUs: 6_000_000, durationUs: 1_000_000, sourceStartUs: 2_000_000, volume: 0.5 },
      ]);
      return d.toJSON();
    }, 'draft.json', engine, undefined, settings);
    expect(result.engine).toBe(engine);
    out = result.outPath;
  });
  afterAll(() => tmp.cleanup());

  it('has an AAC stream as long as the draft', () => {
    const p = probe(out);
    expect(p.audioCodec).toBe('aac');
    expect(p.durationSec).toBeGreaterThan(6.9);
    expect(p.durationSec).toBeLessThan(7.2);
  });

  it('plays two tones in sequence at their volumes', () => {
    expect(level(440, 0.2, 0.6)).toBeGreaterThan(0.8);
    expect(level(440, 0.2, 0.6)).toBeLessThan(1.2);
    expect(level(880, 0.2, 0.6)).toBeLessThan(0.05);
    // volume 0.25
    expect(level(880, 1.2, 0.6)).toBeGreaterThan(0.18);
    expect(level(880, 1.2, 0.6)).toBeLessThan(0.32);
    expect(level(440, 1.2, 0.6)).toBeLessThan(0.05);
  });

  it('fades in linearly', () => {
    // Mean gain of a linear 0→1 ramp over 2.05–2.25 s is 0.15, over 2.75–2.95 s 0.85.
    const early = level(440, 2.05, 0.2);
    const late = level(440, 2.75, 0.2);
    expect(early).toBeGreaterThan(0.05);
    expect(early).toBeLessThan(0.3);
    expect(late).toBeGreaterThan(0.7);
    expect(late).toBeLessThan(1.0);
  });

  it('keeps a muted track silent', () => {
    expect(level(1500, 0.1, 2.8)).toBeLessThan(0.02);
  });

  it("plays a video segment's own sound at its volume", () => {
    expect(level(660, 3.2, 0.6)).toBeGreaterThan(0.38);
    expect(level(660, 3.2, 0.6)).toBeLessThan(0.62);
  });

  it('plays both sounds through a transition window, each at its own volume: no cross-fade', () => {
    const dB = (a: number, b: number) => 20 * Math.log10(a / b);
    // 叠化, window [4.8, 5.2): two in-phase tones at volume 1 sum to +6 dB, as in JianYing's export.
    const alone = level(440, 4.3, 0.4);
    const window = level(440, 4.88, 0.24);
    expect(alone).toBeGreaterThan(0.85);
    expect(alone).toBeLessThan(1.15);
    console.log(`${engine}: 叠化 window ${dB(window, alone).toFixed(2)} dB over one clip`);
    expect(dB(window, alone)).toBeGreaterThan(5.5);
    expect(dB(window, alone)).toBeLessThan(6.5);
    // After the window the incoming clip alone, at the same level as the outgoing one before.
    expect(dB(level(440, 5.3, 0.4), alone)).toBeCloseTo(0, 0);
    // 左移 (another family), window [5.8, 6.2): volume 1 + volume 0.5 = 1.5 (+3.5 dB), then 0.5.
    const push = level(440, 5.88, 0.24);
    console.log(`${engine}: 左移 window with a clip at volume 0.5: ${dB(push, alone).toFixed(2)} dB`);
    expect(dB(push, alone)).toBeGreaterThan(3.0);
    expect(dB(push, alone)).toBeLessThan(4.0);
    expect(level(440, 6.3, 0.4)).toBeGreaterThan(0.4);
    expect(level(440, 6.3, 0.4)).toBeLessThan(0.6);
  });
});
