// Limits: absurd numbers are refused before any work, with the rule and its setting; huge but
// legitimate inputs (a 75-minute clip) are planned without blowing the stack or the clock.
import { describe, expect, it } from 'vitest';
import { parseDraft } from '../../src/draft/schema';
import { GenVideoError } from '../../src/errors';
import { fitSegments } from '../../src/render/compositor/expr';
import { buildFfmpegJob } from '../../src/render/compositor/graph';
import { planComposite } from '../../src/render/compositor/plan';
import { DEFAULT_ENCODE } from '../../src/render/settings';
import { compileTimeline } from '../../src/timeline/compile';
import { checkPictureSize, DEFAULT_LIMITS } from '../../src/timeline/limits';
import { maxOf, minOf } from '../../src/timeline/numbers';
import { createWarningSink } from '../../src/timeline/warnings';
import { DraftBuilder } from '../helpers/draft-builder';

const draftWith = (o: { width?: number; height?: number; fps?: number; startUs?: number; durationUs?: number; speed?: number; keyframeUs?: number }) => {
  const b = new DraftBuilder({ width: o.width ?? 160, height: o.height ?? 90, fps: o.fps ?? 30 });
  const id = b.video('https://media.example.com/a.mp4', { width: 160, height: 90, durationUs: 5_000_000 });
  b.track('video', [
    {
      materialId: id,
      startUs: o.startUs ?? 0,
      durationUs: o.durationUs ?? 1_000_000,
      speed: o.speed,
      keyframes: o.keyframeUs === undefined ? [] : [{ property_type: 'KFTypeAlpha', keyframe_list: [{ time_offset: o.keyframeUs, values: [1] }] }],
    },
  ]);
  return parseDraft(b.toJSON());
};

const refusal = (fn: () => unknown): GenVideoError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof GenVideoError) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('draft limits', () => {
  it.each([
    ['a 100000×100000 canvas', { width: 100_000, height: 100_000 }, /canvas width 100000 px is more than 4096 px \(limit MAX_CANVAS_SIDE\)/],
    ['fps 100000', { fps: 100_000 }, /fps 100000 is more than 120 \(limit MAX_FPS\)/],
    ['a duration of 1e308 µs', { durationUs: 1e308 }, /after the longest video allowed \(4 h\) \(limit MAX_VIDEO_SECONDS\)/],
    ['a duration of 1e12 µs', { durationUs: 1e12 }, /ends at 1000000 s.*MAX_VIDEO_SECONDS/],
    ['a start time of 1e308 µs', { startUs: 1e308 }, /MAX_VIDEO_SECONDS/],
    ['speed 1e6', { speed: 1e6 }, /speed 1000000 is outside 0.01–100/],
    ['a key frame at 1e308 µs', { keyframeUs: 1e308 }, /key frame at 1e\+308 µs/],
  ])('refuses %s with 400 草稿格式无效 and the rule', (_, o, rule) => {
    const e = refusal(() => compileTimeline(draftWith(o)));
    expect(e.status).toBe(400);
    expect(e.detail).toMatch(/^草稿格式无效: /);
    expect(e.detail).toMatch(rule);
  });

  it('takes the limits it is given (settings), and a 4-hour video is allowed by default', () => {
    expect(compileTimeline(draftWith({ durationUs: 4 * 3600 * 1e6 })).durationFrames).toBe(4 * 3600 * 30);
    expect(refusal(() => compileTimeline(draftWith({ durationUs: 61e6 }), {}, { limits: { ...DEFAULT_LIMITS, maxDurationSec: 60 } })).detail).toMatch(
      /ends at 61 s, after the longest video allowed \(0.0166667 h\)/,
    );
    expect(() => compileTimeline(draftWith({ width: 1080, height: 1920, fps: 60 }))).not.toThrow();
  });

  it('counts segments over all tracks', () => {
    const b = new DraftBuilder({ width: 160, height: 90 });
    const id = b.video('https://media.example.com/a.mp4', { width: 160, height: 90, durationUs: 5_000_000 });
    b.track('video', Array.from({ length: 30 }, (_, i) => ({ materialId: id, startUs: i * 100_000, durationUs: 100_000 })));
    const e = refusal(() => compileTimeline(parseDraft(b.toJSON()), {}, { limits: { ...DEFAULT_LIMITS, maxSegments: 20 } }));
    expect(e.detail).toBe('草稿格式无效: more than 20 segments (limit MAX_SEGMENTS)');
  });

  it('refuses a picture over MAX_PICTURE_MEGAPIXELS as 400 素材无法访问, naming it', () => {
    const e = refusal(() => checkPictureSize('huge.png', 30_000, 30_000));
    expect(e.status).toBe(400);
    expect(e.detail).toBe('素材无法访问: huge.png: 30000×30000 is 900 megapixels, more than 100 (limit MAX_PICTURE_MEGAPIXELS)');
    expect(() => checkPictureSize('4k.png', 3840, 2160)).not.toThrow();
    // The draft's own word on a material's size is checked before anything is downloaded.
    const b = new DraftBuilder({ width: 160, height: 90 });
    const id = b.video('https://media.example.com/huge.png', { width: 30_000, height: 30_000, durationUs: 0, photo: true, name: 'huge.png' });
    b.track('video', [{ materialId: id, startUs: 0, durationUs: 1_000_000 }]);
    expect(refusal(() => compileTimeline(parseDraft(b.toJSON()))).detail).toMatch(/^素材无法访问: huge.png: 30000×30000/);
  });
});

describe('huge but legitimate', () => {
  it('plans a 75-minute picture (135 000 frames) without overflowing the stack, in linear time', () => {
    const b = new DraftBuilder({ width: 320, height: 180, fps: 30 });
    const id = b.video('https://media.example.com/a.png', { width: 320, height: 180, durationUs: 0, photo: true });
    const us = 75 * 60 * 1e6;
    b.track('video', [
      {
        materialId: id,
        startUs: 0,
        durationUs: us,
        keyframes: [{ property_type: 'KFTypeScaleX', keyframe_list: [{ time_offset: 0, values: [1] }, { time_offset: us, values: [2] }] }],
      },
    ]);
    const timeline = compileTimeline(parseDraft(b.toJSON()), {}, {});
    timeline.media[Object.keys(timeline.media)[0]].src = '/tmp/a.png';
    const started = performance.now();
    const plan = planComposite(timeline);
    if ('unsupported' in plan) throw new Error(plan.unsupported);
    expect(plan.pictures[0].placements).toHaveLength(135_000);
    const job = buildFfmpegJob({ plan, encode: DEFAULT_ENCODE, outPath: '/tmp/x.mp4', graphPath: '/tmp/graph.txt' });
    expect(job.graph).toContain('scale=w=');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('fits a straight line through 135 000 values as one segment, quickly', () => {
    const values = Array.from({ length: 135_000 }, (_, i) => 10 + i * 0.01);
    const started = performance.now();
    expect(fitSegments(values, 0.25)).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('maxOf / minOf take any number of values', () => {
    const values = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 100_003);
    expect(maxOf(values)).toBe(100_002);
    expect(minOf(values)).toBe(0);
    expect(maxOf([])).toBe(-Infinity);
    expect(maxOf([], 0)).toBe(0);
  });

  it('keeps at most 200 warnings and says how many more there were', () => {
    const sink = createWarningSink();
    for (let i = 0; i < 1000; i++) sink.add('segment-hidden', 'hidden segment skipped', `s${i}`);
    expect(sink.list).toHaveLength(201);
    expect(sink.list[200]).toEqual({ code: 'warnings-truncated', message: '800 more warning(s) not listed (at most 200 are kept)' });
  });
});
