/**
 * The compositor: draws a timeline with ffmpeg instead of a browser screenshot per frame. The
 * browser draws only what ffmpeg cannot, as tiles (plan.ts says which layers and why). A render is
 * made of frame ranges (drawn here one ffmpeg run each, on one machine or several) and one sound
 * mix.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Timeline } from '../../timeline/types';
import type { BrowserSession } from '../browser';
import type { FrameRange } from '../engine';
import type { EncodeSettings } from '../settings';
import { chunkRanges, slicePlan } from './chunks';
import { DrawingCache, type DrawnTiles } from './drawings';
import { buildFfmpegJob, type GraphInputs } from './graph';
import type { CompositorPlan } from './plan';
import { runFfmpeg } from './run';

export { planComposite, planSound, browserDrawn, describeBrowserDrawn, type BrowserDrawn, type CompositorPlan } from './plan';
export { chunkRanges } from './chunks';
export { DrawingCache } from './drawings';

export interface CompositorContext {
  ffmpeg: string;
  /** The render process's kept browser (drawn tiles), and the binary it runs. */
  browser: BrowserSession;
  browserExecutable: () => string;
  encode: EncodeSettings;
  /** This render's own work folder (tiles, graphs); the caller removes it. */
  workDir: string;
  keepWorkFiles: boolean;
  signal?: AbortSignal;
}

/** Where in the compositor a failure happened: the browser's tiles or ffmpeg's frames. */
export type CompositeStage = 'browser' | 'frames';

const tagStage = (err: unknown, stage: CompositeStage) => {
  if (err instanceof Error) Object.assign(err, { compositeStage: stage });
  return err;
};

/** A render's drawings, drawn on first use and shared by its chunks on this machine. */
export const drawingCache = (timeline: Timeline, plan: CompositorPlan, ctx: CompositorContext): DrawingCache =>
  new DrawingCache(timeline, plan, { ffmpeg: ctx.ffmpeg, browser: ctx.browser, browserExecutable: ctx.browserExecutable, workDir: ctx.workDir, concurrency: ctx.encode.concurrency, signal: ctx.signal });

async function runGraph(g: Omit<GraphInputs, 'graphPath'>, name: string, ctx: Omit<CompositorContext, 'browser' | 'browserExecutable'>, onFrames?: (n: number) => void): Promise<void> {
  const graphPath = path.join(ctx.workDir, `${name}.graph.txt`);
  const job = buildFfmpegJob({ ...g, graphPath });
  writeFileSync(graphPath, job.graph);
  for (const f of job.files) writeFileSync(f.path, f.content);
  if (ctx.keepWorkFiles) writeFileSync(path.join(ctx.workDir, `${name}.args.json`), JSON.stringify(job.args));
  try {
    await runFfmpeg(ctx.ffmpeg, job.args, { signal: ctx.signal, onFrames });
  } catch (err) {
    throw tagStage(err, 'frames');
  }
}

/**
 * A graph holds every picture its frames show (decoded, scaled, with buffers): the compositor draws
 * at most this much video per ffmpeg run, whatever the chunks (a farm's unit) are.
 */
export const PIECE_SECONDS = 15;

/** Range [from, end) cut into pieces of at most PIECE_SECONDS, the same wherever it is drawn. */
export const piecesOf = (range: FrameRange, fps: number): FrameRange[] =>
  chunkRanges(range[1] - range[0], PIECE_SECONDS * fps).map(([a, b]) => [range[0] + a, range[0] + b]);

/**
 * The tiles a range of the plan shows, drawn by the browser if need be. `light`: only its
 * neutral tiles (a sheet of small pictures), not the posed ones (whole canvases, the browser's
 * heaviest pages), for drawing alongside ffmpeg within the memory a render may use.
 */
export async function drawTiles(plan: CompositorPlan, range: FrameRange, cache: DrawingCache, o: { light?: boolean } = {}): Promise<DrawnTiles> {
  let slice = sliceOf(plan, range);
  if (o.light) {
    slice = { ...slice, pictures: slice.pictures.filter((p) => p.source.kind !== 'drawn' || plan.drawings[p.source.drawing].mode !== 'posed') };
  }
  try {
    return await cache.for(slice);
  } catch (err) {
    throw tagStage(err, 'browser');
  }
}

/**
 * Pieces of the plan, one ffmpeg run each, at `outPaths`; while ffmpeg draws a piece, the browser
 * draws the next one's light tiles. `onFrames` gets frames done in the video's count.
 */
export async function drawPieces(
  timeline: Timeline,
  plan: CompositorPlan,
  pieces: readonly FrameRange[],
  outPaths: readonly string[],
  ctx: CompositorContext & { drawings: DrawingCache; onFrames?: (frame: number) => void },
): Promise<void> {
  let drawingNext: Promise<unknown> = Promise.resolve();
  try {
    for (const [i, piece] of pieces.entries()) {
      const drawing = drawRange(timeline, plan, piece, outPaths[i], { ...ctx, onFrames: (n) => ctx.onFrames?.(piece[0] + n) });
      const next = pieces[i + 1];
      if (next) drawingNext = drawTiles(plan, next, ctx.drawings, { light: true }).catch(() => undefined);
      await drawing;
    }
  } finally {
    // Whatever happened, the browser is idle again before the render goes on (or the next one starts).
    await drawingNext;
  }
}

const sliceOf = (plan: CompositorPlan, range: FrameRange) => (range[0] === 0 && range[1] === plan.durationFrames ? plan : slicePlan(plan, range));

/**
 * Frames [from, end) of the plan as H.264 at `outPath` (with the whole sound too when `withSound`:
 * a video drawn in one piece needs no join).
 */
export async function drawRange(
  timeline: Timeline,
  plan: CompositorPlan,
  range: FrameRange,
  outPath: string,
  ctx: CompositorContext & { drawings?: DrawingCache; withSound?: boolean; onFrames?: (frames: number) => void },
): Promise<void> {
  mkdirSync(ctx.workDir, { recursive: true });
  const whole = range[0] === 0 && range[1] === plan.durationFrames;
  const slice = sliceOf(plan, range);
  const tiles = await drawTiles(plan, range, ctx.drawings ?? drawingCache(timeline, plan, ctx));
  const name = `frames-${range[0]}-${range[1]}`;
  await runGraph({ plan: slice, tiles, encode: ctx.encode, outPath, streams: ctx.withSound && whole ? 'both' : 'video' }, name, ctx, ctx.onFrames);
}

/** The whole sound of the plan, mixed once, as AAC at `outPath`. */
export async function mixSound(plan: CompositorPlan, outPath: string, ctx: Omit<CompositorContext, 'browser' | 'browserExecutable'>): Promise<void> {
  mkdirSync(ctx.workDir, { recursive: true });
  await runGraph({ plan, encode: ctx.encode, outPath, streams: 'audio' }, 'sound', ctx);
}

/** A fresh work folder for one render under the settings' work dir. */
export const makeWorkDir = (root: string, prefix = 'render-'): string => {
  mkdirSync(root, { recursive: true });
  return mkdtempSync(path.join(root, prefix));
};
