// The compositor's decisions and arithmetic, without rendering: which timelines it takes, where
// pictures go on each frame, and that its ffmpeg expressions compute what they stand for.
import { describe, expect, it } from 'vitest';
import { fitSegments, framesExpr, trackExpr } from '../../src/render/compositor/expr';
import { valueAt } from '../../src/timeline/track';
import { ffmpegColor, lutRuns, pictureFrames } from '../../src/render/compositor/graph';
import { chunkRanges, slicePlan } from '../../src/render/compositor/chunks';
import { browserDrawn, planComposite, type CompositorPlan } from '../../src/render/compositor/plan';
import { alphaBounds } from '../../src/render/compositor/drawings';
import { constantTrack } from '../../src/timeline/track';
import type { ImageLayer, TextLayer, Timeline, Track, VisualLayer } from '../../src/timeline/types';

const track = (frames: number[], values: number[]): Track => ({ frames, values });

const image = (o: Partial<ImageLayer> = {}): ImageLayer => ({
  kind: 'image',
  id: 'photo',
  mediaId: 'm1',
  fromFrame: 0,
  durationFrames: 30,
  boxPx: { width: 100, height: 50 },
  geometry: {
    centerXPx: constantTrack(50),
    centerYPx: constantTrack(25),
    scaleX: constantTrack(1),
    scaleY: constantTrack(1),
    rotationDeg: constantTrack(0),
    opacity: constantTrack(1),
    flipX: false,
    flipY: false,
  },
  ...o,
});

const text = (o: Partial<TextLayer> = {}): TextLayer => ({
  ...image(),
  kind: 'text',
  id: 'caption',
  text: {
    runs: [{ text: 'hi', fontFamily: 'Noto Sans SC', fontWeight: 400, fontSizePx: 10, italic: false, underline: false, color: '#ffffff' }],
    align: 'center',
    maxWidthPx: 100,
    lineHeight: 1.2,
    letterSpacingPx: 0,
    vertical: false,
  },
  ...o,
});

const timeline = (layers: VisualLayer[], o: Partial<Timeline> = {}): Timeline => ({
  widthPx: 100,
  heightPx: 50,
  fps: 30,
  durationFrames: 30,
  layers,
  audio: [],
  media: { m1: { id: 'm1', kind: 'photo', name: 'p.png', candidates: [], src: '/tmp/p.png', widthPx: 200, heightPx: 100 } },
  warnings: [],
  ...o,
});

const planOf = (t: Timeline): CompositorPlan => {
  const plan = planComposite(t);
  if ('unsupported' in plan) throw new Error(plan.unsupported);
  return plan;
};

/** Evaluates one of our ffmpeg expressions (if/lt/max/round, + − * /) for a variable value. */
const evaluate = (expr: string, variable: string, value: number): number => {
  const js = expr.split(variable).join(`(${value})`);
  const fn = new Function('iff', 'lt', 'max', 'round', `return ${js.replace(/\bif\(/g, 'iff(')};`);
  return fn(
    (c: number, a: number, b: number) => (c ? a : b),
    (a: number, b: number) => (a < b ? 1 : 0),
    Math.max,
    (x: number) => Math.sign(x) * Math.round(Math.abs(x)),
  );
};

describe('compositor plan', () => {
  it('takes turning pictures that scale alike in both directions', () => {
    const turning = image({ geometry: { ...image().geometry, rotationDeg: track([0, 29], [0, 90]), scaleX: track([0, 29], [1, 2]), scaleY: track([0, 29], [1, 2]) } });
    const plan = planOf(timeline([turning]));
    expect(plan.pictures[0].placements[29].rotationDeg).toBeCloseTo(90);
  });

  it('takes moving pictures, fades and captions; the browser draws the text once', () => {
    const plan = planOf(
      timeline([
        image({ geometry: { ...image().geometry, scaleX: track([0, 29], [1, 1.2]), scaleY: track([0, 29], [1, 1.2]) } }),
        text(),
      ]),
    );
    expect(plan.pictures.map((p) => p.source.kind)).toEqual(['image', 'drawn']);
    expect(plan.drawings.map((d) => [d.mode, d.states])).toEqual([['neutral', [0]]]);
    expect(browserDrawn(plan)).toEqual([{ layerId: 'caption', kind: 'text', why: 'text', tiles: 1 }]);
    expect(plan.pictures[0].placements[29].scaleX).toBeCloseTo(1.2);
  });

  it('draws a typewriter caption once per state of its text, each shown over its frames', () => {
    const typed = text({
      durationFrames: 30,
      text: { ...text().text, runs: [{ ...text().text.runs[0], text: 'abcd' }] },
      reveal: { name: '打字机', mode: 'typewriter', startFrame: 0, durationFrames: 20 },
    });
    const plan = planOf(timeline([typed]));
    // 0 to 4 characters shown: five states, a character every 5 frames, all four from frame 20.
    expect(plan.drawings[0].states).toEqual([0, 5, 10, 15, 20]);
    expect(plan.pictures).toHaveLength(1);
    expect(plan.pictures[0].source).toMatchObject({ kind: 'drawn', runs: [0, 5, 10, 15, 20].map((from, state) => ({ state, from })) });
    // The five states share browser frames, on a grid.
    expect(new Set(plan.atlas.drawings[0].at.map((a) => a.frame)).size).toBeLessThan(5);
  });

  it('draws text at the largest size the layer reaches, neutralised', () => {
    const grows = text({ geometry: { ...text().geometry, scaleX: track([0, 29], [0.5, 2]), scaleY: track([0, 29], [0.5, 2]), opacity: constantTrack(0.5) } });
    const plan = planOf(timeline([grows]));
    expect(plan.pictures[0].reference.scaleX).toBeCloseTo(2);
    const drawn = plan.drawings[0].layer!;
    expect(drawn.geometry.scaleX.values).toEqual([2]);
    expect(drawn.geometry.opacity.values).toEqual([1]);
  });

  it('has the browser draw, layer by layer, what ffmpeg cannot, and says why', () => {
    const wipe = { name: '擦除', kind: 'wipe', startFrame: 0, durationFrames: 10 } as const;
    const cases: [Timeline, RegExp, string][] = [
      [
        timeline([image({ geometry: { ...image().geometry, rotationDeg: constantTrack(30), scaleX: track([0, 29], [1, 2]) } })]),
        /turns while its width and height scale differently/,
        'posed',
      ],
      [timeline([image({ transitionIn: wipe })]), /wipe/, 'posed'],
      [
        timeline([text({ text: { ...text().text, runs: [{ ...text().text.runs[0], highlight: { color: '#ff0000', fromFrame: 0, toFrame: 10 } }] } })]),
        /karaoke/,
        'neutral',
      ],
      [timeline([{ ...image(), kind: 'gif' } as VisualLayer]), /GIF/, 'neutral'],
      [timeline([image()], { backgrounds: [{ segmentId: 's', fromFrame: 0, durationFrames: 30, kind: 'image', mediaId: 'm1' }] }), /canvas background/, 'posed'],
    ];
    for (const [t, why, mode] of cases) {
      const plan = planOf(t);
      expect(browserDrawn(plan).map((d) => d.why).join()).toMatch(why);
      expect(plan.drawings[0].mode).toBe(mode);
    }
    // A wipe: the browser draws the window's 10 frames, ffmpeg the other 20.
    const wiped = planOf(timeline([image({ transitionIn: wipe })]));
    expect(wiped.pictures.map((p) => [p.source.kind, p.fromFrame, p.durationFrames])).toEqual([['drawn', 0, 10], ['image', 10, 20]]);
    // Karaoke: a tile per frame of the sweep, then one for the rest.
    const karaoke = planOf(timeline([text({ text: { ...text().text, runs: [{ ...text().text.runs[0], highlight: { color: '#ff0000', fromFrame: 0, toFrame: 10 } }] } })]));
    expect(karaoke.drawings[0].states).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('leaves to Remotion only what it cannot draw at all: a frame rate that is not whole', () => {
    const plan = planComposite(timeline([image()], { fps: 29.97 }));
    expect('unsupported' in plan && plan.unsupported).toMatch(/frame rate/);
  });

  it('blurs a canvas background with ffmpeg, at the size BackgroundView scales it to', () => {
    const plan = planOf(timeline([image()], { backgrounds: [{ segmentId: 's', fromFrame: 0, durationFrames: 30, kind: 'blur', blurPx: 5, mediaId: 'm1', boxPx: { width: 100, height: 50 } }] }));
    // Scaled so the blur's rim (2σ) falls outside the 100×50 canvas: by (50 + 20) / 50.
    expect(plan.pictures[0].source).toMatchObject({ kind: 'image', blur: { sigmaPx: 5, widthPx: 140, heightPx: 70 } });
    expect(plan.drawings).toEqual([]);
  });

  it('places pictures on whole pixels, flipped and faded as LayerBox does', () => {
    const plan = planOf(
      timeline([
        image({
          geometry: { ...image().geometry, centerXPx: track([0, 29], [20, 80]), opacity: track([0, 29], [0, 1]), flipX: true },
        }),
      ]),
    );
    const p = plan.pictures[0];
    const f = pictureFrames(p, p.extent!);
    expect(f.flipX).toBe(true);
    expect(f.w[0]).toBe(100);
    expect(f.x[0]).toBe(20 - 50);
    expect(f.x[29]).toBe(80 - 50);
    expect(f.alpha[0]).toBe(0);
    expect(f.alpha[29]).toBe(255);
    expect(f.alpha[15]).toBe(Math.round((15 / 29) * 255));
  });

  it('fits contain pictures inside their box by the picture size', () => {
    const plan = planOf(timeline([image({ fit: 'contain', boxPx: { width: 100, height: 100 } })]));
    expect(plan.pictures[0].extent).toEqual({ left: -50, right: 50, top: -25, bottom: 25 });
  });
});

describe('compositor expressions', () => {
  it('fit per-frame values within the tolerance with few segments', () => {
    const values = Array.from({ length: 100 }, (_, f) => (f < 50 ? 10 + 0.5 * f : 35 - 0.2 * (f - 50)));
    expect(fitSegments(values, 0.25)).toHaveLength(2);
    const expr = framesExpr(values, 'n');
    for (let f = 0; f < 100; f++) expect(Math.abs(evaluate(expr, 'n', f) - values[f])).toBeLessThanOrEqual(0.25);
  });

  it('keep eased curves within the tolerance', () => {
    const values = Array.from({ length: 30 }, (_, f) => 100 * (1 - (1 - f / 29) ** 2));
    const expr = framesExpr(values, 'n');
    for (let f = 0; f < 30; f++) expect(Math.abs(evaluate(expr, 'n', f) - values[f])).toBeLessThanOrEqual(0.25);
  });

  it('turn a key-frame track into the same numbers valueAt gives, held outside', () => {
    const gain = track([0, 30, 60], [0, 1, 0.25]);
    const expr = trackExpr(gain, 'F');
    expect(evaluate(expr, 'F', -5)).toBe(0);
    expect(evaluate(expr, 'F', 15)).toBeCloseTo(0.5);
    expect(evaluate(expr, 'F', 45)).toBeCloseTo(0.625);
    expect(evaluate(expr, 'F', 90)).toBe(0.25);
  });

  it('follow a curved gain track (a volume key frame with Bézier handles) frame by frame', () => {
    const gain = { frames: [10, 40], values: [0, 1], curves: [{ x1: 0.42, y1: 0, x2: 0.58, y2: 1 }] };
    const expr = trackExpr(gain, 'F');
    for (const f of [0, 10, 17, 25, 33, 40, 55]) expect(evaluate(expr, 'F', f)).toBeCloseTo(valueAt(gain, f), 4);
    // Not the straight line: a quarter of the way it is well below a quarter.
    expect(evaluate(expr, 'F', 17.5)).toBeLessThan(0.15);
  });

  it('write CSS colours in ffmpeg syntax', () => {
    expect(ffmpegColor('#ff8800')).toBe('0xff8800');
    expect(ffmpegColor('#f80')).toBe('0xff8800');
    expect(ffmpegColor('rgba(255, 0, 16, 0.5)')).toBe('0xff0010@0.5');
    expect(() => ffmpegColor('hsl(1, 2%, 3%)')).toThrow(/colour/);
  });

  it('find the visible part of a tile', () => {
    const alpha = new Uint8Array(10 * 6);
    alpha[2 * 10 + 3] = 255;
    alpha[4 * 10 + 7] = 1;
    expect(alphaBounds(alpha, 10, { x: 0, y: 0, width: 10, height: 6 })).toEqual({ x: 3, y: 2, width: 5, height: 3 });
    expect(alphaBounds(alpha, 10, { x: 2, y: 1, width: 4, height: 4 })).toEqual({ x: 1, y: 1, width: 1, height: 1 });
    expect(alphaBounds(new Uint8Array(60), 10, { x: 0, y: 0, width: 10, height: 6 })).toBeNull();
  });
});

describe('compositor opacity', () => {
  it('switches one table per alpha on by time, at the exact value of every frame', () => {
    // A 4-frame cross-fade window from layer frame 0: (f + 0.5) / 4.
    const alpha = [0, 1, 2, 3, 4, 5].map((f) => Math.round(Math.min(1, (f + 0.5) / 4) * 255));
    expect(alpha).toEqual([32, 96, 159, 223, 255, 255]);
    const filters = lutRuns(alpha, 30, 30);
    expect(filters.match(/lut=/g)).toHaveLength(4);
    expect(filters).toContain(`a='val*32/255':enable='between(t,0.983333,1.016667)'`);
    expect(filters).toContain(`a='val*223/255':enable='between(t,1.083333,1.116667)'`);
    expect(lutRuns([128, 128, 128], 0, 30)).toBe(`,lut=y=val:u=val:v=val:a='val*128/255'`);
  });
});

describe('compositor chunks', () => {
  it('cover the timeline in pieces of at most the chunk length', () => {
    expect(chunkRanges(100, 30)).toEqual([[0, 30], [30, 60], [60, 90], [90, 100]]);
    expect(chunkRanges(30, 30)).toEqual([[0, 30]]);
  });

  it('cut pictures at the chunk edges, a video going on where it was', () => {
    const plan = planOf(timeline([image()], { durationFrames: 60 }));
    const video: CompositorPlan['pictures'][number] = {
      ...plan.pictures[0],
      fromFrame: 20,
      durationFrames: 30,
      placements: Array.from({ length: 30 }, (_, f) => ({ ...plan.pictures[0].placements[0], opacity: f / 29 })),
      source: { kind: 'video', path: '/v.mp4', video: { sourceStartSec: 1, playbackRate: 2, freezeBeforeFrame: 4, holdFromFrame: 25 } },
    };
    const [first, second] = [slicePlan({ ...plan, pictures: [video] }, [0, 30]), slicePlan({ ...plan, pictures: [video] }, [30, 60])];
    expect(first.pictures[0]).toMatchObject({ fromFrame: 20, durationFrames: 10 });
    expect(second.pictures[0]).toMatchObject({ fromFrame: 0, durationFrames: 20 });
    expect(second.pictures[0].placements[0].opacity).toBeCloseTo(10 / 29);
    // 10 frames in: frozen for 4, then 6 frames played at speed 2 = 0.4 s of source.
    expect(second.pictures[0].source).toMatchObject({ video: { sourceStartSec: 1.4, freezeBeforeFrame: 0, holdFromFrame: 15 } });
    expect(second.audio).toEqual([]);
  });
});
