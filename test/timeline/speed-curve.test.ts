import { describe, expect, it } from 'vitest';
import { compileTimeline } from '../../src/timeline/compile';
import { sourceSecAt } from '../../src/timeline/source-time';
import { curveEndRates, curveSourceShare, curveTimeShare, speedPoints } from '../../src/timeline/speed-curve';
import { usToFrames } from '../../src/timeline/time';
import type { VideoLayer } from '../../src/timeline/types';
import { draft, segment, video } from './draft-builder';

/** The one GUI export known exactly (draft-format.md §12, jianying-headless native_curve_profile.py). */
const SAMPLE = {
  points: [
    { x: 0, y: 1 },
    { x: 0.25, y: 1 },
    { x: 0.5, y: 4.375 },
    { x: 0.75, y: 1 },
    { x: 1, y: 1 },
  ],
  sourceUs: 9_000_000,
  targetUs: 6_166_666,
  speed: 1.4576270189136267,
};

describe('speed curve (曲线变速)', () => {
  it('reproduces the GUI sample: 9 s of source → 185 frames at 30 fps, mean speed 86/59', () => {
    const share = curveTimeShare(SAMPLE.points);
    expect(share).toBeCloseTo(59 / 86, 15);
    const frames = (9 * share * 30);
    // 185.23 frames: within one frame of the 185 JianYing stored.
    expect(Math.abs(frames - usToFrames(SAMPLE.targetUs, 30))).toBeLessThan(1);
    expect(Math.round(frames)).toBe(185);
    // The stored speed is the curve's mean speed, to float precision.
    expect(Math.abs(1 / share - SAMPLE.speed)).toBeLessThan(2e-7);
  });

  it('is not the curve integrated piecewise-linearly (4.88 s or 6.47 s)', () => {
    const trapezoidMean = (1 + 2.6875 + 2.6875 + 1) / 4;
    expect(9 / trapezoidMean).toBeCloseTo(4.881, 3);
    const inverseMean = 0.25 + 0.25 * (Math.log(4.375) / 3.375) * 2 + 0.25;
    expect(9 * inverseMean).toBeCloseTo(6.468, 3);
    expect(Math.abs(9 * curveTimeShare(SAMPLE.points) - 6.1744)).toBeLessThan(1e-4);
  });

  it('moves through the source quadratically, the speed changing linearly with time', () => {
    const p = SAMPLE.points;
    const share = curveTimeShare(p);
    expect(curveSourceShare(p, 0)).toBe(0);
    expect(curveSourceShare(p, 1)).toBeCloseTo(1, 12);
    // The symmetric hump: half the time, half the source.
    expect(curveSourceShare(p, 0.5)).toBeCloseTo(0.5, 12);
    // The first quarter of the source at 1× takes 0.25 of the time share.
    expect(curveSourceShare(p, 0.25 / share)).toBeCloseTo(0.25, 12);
    // Half way up the hump (time 0.25 + τ/2, τ = 0.5/5.375): 0.25 + τ/2·1 + (3.375/(2τ))·(τ/2)².
    const tau = 0.5 / 5.375;
    expect(curveSourceShare(p, (0.25 + tau / 2) / share)).toBeCloseTo(0.25 + tau / 2 + (3.375 / (2 * tau)) * (tau / 2) ** 2, 12);
    // Outside the curve the source runs on at the end speeds.
    expect(curveSourceShare(p, -0.1)).toBeCloseTo(-0.1 * share, 12);
    expect(curveSourceShare(p, 1.1)).toBeCloseTo(1 + 0.1 * share, 12);
  });

  it('reads the draft points leniently', () => {
    expect(speedPoints({ id: 'c', name: '自定义', speed_points: SAMPLE.points })).toEqual(SAMPLE.points);
    expect(speedPoints([{ x: 0.5, y: 2 }, { x: 0, y: 1 }])).toEqual([{ x: 0, y: 1 }, { x: 0.5, y: 2 }, { x: 1, y: 2 }]);
    expect(speedPoints({ speed_points: [{ x: 0, y: 1 }] })).toBeNull();
    expect(speedPoints(null)).toBeNull();
    expect(speedPoints({ speed_points: [{ x: 0, y: 0 }, { x: 1, y: 'a' }] })).toBeNull();
  });

  it('plays the GUI sample over its 185 frames, the whole 9 s of source', () => {
    const tl = compileTimeline(
      draft({
        width: 1280,
        height: 720,
        tracks: [
          {
            id: 't',
            type: 'video',
            segments: [
              segment('s', 'v', 0, SAMPLE.targetUs, {
                speed: SAMPLE.speed,
                source_timerange: { start: 0, duration: SAMPLE.sourceUs },
                extra_material_refs: ['speed'],
              }),
            ],
          },
        ],
        materials: {
          videos: [video('v', { duration: 24_000_000 })],
          speeds: [{ id: 'speed', type: 'speed', mode: 1, speed: SAMPLE.speed, curve_speed: { id: '6768730851543880206', name: '自定义', speed_points: SAMPLE.points } }],
        },
      }),
    );
    // The picture is drawn as measured; how JianYing plays the curve's sound is not known.
    expect(tl.warnings.map((w) => w.code)).toEqual(['speed-curve-sound-approximated']);
    const layer = tl.layers[0] as VideoLayer;
    expect(layer.durationFrames).toBe(185);
    expect(layer.speedCurve).toMatchObject({ sourceSec: 9, durationSec: 185 / 30, leadSec: 0 });
    expect(sourceSecAt(layer, 0, 30)).toBe(0);
    // The whole source within the segment: frame 185 (the end) reaches 9 s.
    expect(sourceSecAt(layer, 185, 30)).toBeCloseTo(9, 9);
    // The hump's middle is at the middle of the segment: source 4.5 s at 3.0833 s (frame 92.5).
    expect(sourceSecAt(layer, 92, 30)).toBeLessThan(4.5);
    expect(sourceSecAt(layer, 93, 30)).toBeGreaterThan(4.5);
    // Speed 1 at the ends (stretched by 185/185.23), 4.375 at the top.
    const { startRate, endRate } = curveEndRates(layer.speedCurve!);
    expect(startRate).toBeCloseTo((9 * (59 / 86)) / (185 / 30), 9);
    expect(endRate).toBeCloseTo(startRate, 12);
    // (a frame's mean speed at the top of the hump is a little below its peak)
    expect((sourceSecAt(layer, 93, 30) - sourceSecAt(layer, 92, 30)) * 30).toBeCloseTo(4.375 * startRate, 1);
    // Its sound follows in constant-speed pieces from the same source moments.
    const sound = tl.audio.filter((a) => a.mediaId === 'v');
    expect(sound[0]).toMatchObject({ fromFrame: 0, sourceStartSec: 0 });
    expect(sound.reduce((n, a) => n + a.durationFrames, 0)).toBe(185);
    for (const piece of sound) expect(piece.sourceStartSec).toBeCloseTo(sourceSecAt(layer, piece.fromFrame, 30), 9);
  });
});
