/**
 * The compositor: draws a timeline with ffmpeg instead of a browser screenshot per frame. The
 * browser still draws what only it can (text, masks, adjustments), once per layer, as stills.
 * planComposite says whether a timeline qualifies; anything it cannot draw exactly stays with
 * Remotion. A render is made of frame ranges (drawn here one ffmpeg run each, on one machine or
 * several) and one sound mix.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeCancelSignal } from '@remotion/renderer';
import type { Timeline } from '../../timeline/types';
import type { FrameRange } from '../engine';
import type { EncodeSettings } from '../settings';
import { slicePlan } from './chunks';
import { buildFfmpegJob, type GraphInputs } from './graph';
import type { CompositorPlan } from './plan';
import { runFfmpeg } from './run';
import { renderStills, type StillImage } from './stills';

export { planComposite, planSound, type CompositorPlan } from './plan';
export { chunkRanges } from './chunks';

export interface CompositorContext {
  ffmpeg: string;
  browserExecutable: () => string;
  encode: EncodeSettings;
  /** This render's own work folder (stills, graphs); the caller removes it. */
  workDir: string;
  keepWorkFiles: boolean;
  signal?: AbortSignal;
}

/** Where in the compositor a failure happened: the browser's stills or ffmpeg's frames. */
export type CompositeStage = 'stills' | 'frames';

const tagStage = (err: unknown, stage: CompositeStage) => {
  if (err instanceof Error) Object.assign(err, { compositeStage: stage });
  return err;
};

/**
 * The stills of one render, drawn on first use: a chunk asks for the ones its pictures show, so
 * chunks on one machine share them and a chunk on another machine draws only its own.
 */
export class StillCache {
  readonly #images: (StillImage | undefined)[] = [];
  #batch = 0;

  constructor(
    private readonly timeline: Timeline,
    private readonly plan: CompositorPlan,
    private readonly ctx: CompositorContext,
  ) {}

  /** The stills the pictures of `plan` (the whole plan or a slice of it) use; sparse by index. */
  async for(plan: CompositorPlan): Promise<(StillImage | undefined)[]> {
    const wanted = [...new Set(plan.pictures.flatMap((p) => (p.source.kind === 'still' ? [p.source.index] : [])))];
    const missing = wanted.filter((i) => !this.#images[i]);
    if (missing.length > 0) {
      const dir = path.join(this.ctx.workDir, `stills-${this.#batch++}`);
      mkdirSync(dir, { recursive: true });
      const { cancelSignal, cancel } = makeCancelSignal();
      const onAbort = () => cancel();
      this.ctx.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const images = await renderStills(
          this.timeline,
          missing.map((i) => this.plan.stills[i]),
          { dir, ffmpeg: this.ctx.ffmpeg, concurrency: this.ctx.encode.concurrency, browserExecutable: this.ctx.browserExecutable(), cancelSignal },
        );
        missing.forEach((index, k) => (this.#images[index] = images[k]));
      } catch (err) {
        throw tagStage(err, 'stills');
      } finally {
        this.ctx.signal?.removeEventListener('abort', onAbort);
      }
      this.ctx.signal?.throwIfAborted();
    }
    return this.#images;
  }
}

async function runGraph(g: GraphInputs, name: string, ctx: CompositorContext, onFrames?: (n: number) => void): Promise<void> {
  const graphPath = path.join(ctx.workDir, `${name}.graph.txt`);
  const job = buildFfmpegJob(g, graphPath);
  writeFileSync(graphPath, job.graph);
  if (ctx.keepWorkFiles) writeFileSync(path.join(ctx.workDir, `${name}.args.json`), JSON.stringify(job.args));
  try {
    await runFfmpeg(ctx.ffmpeg, job.args, { signal: ctx.signal, onFrames });
  } catch (err) {
    throw tagStage(err, 'frames');
  }
}

/**
 * Frames [from, end) of the plan as H.264 at `outPath` (with the whole sound too when `withSound`:
 * a video drawn in one piece needs no join).
 */
export async function drawRange(
  timeline: Timeline,
  plan: CompositorPlan,
  range: FrameRange,
  outPath: string,
  ctx: CompositorContext & { stills?: StillCache; withSound?: boolean; onFrames?: (frames: number) => void },
): Promise<void> {
  mkdirSync(ctx.workDir, { recursive: true });
  const whole = range[0] === 0 && range[1] === plan.durationFrames;
  const slice = whole ? plan : slicePlan(plan, range);
  const stills = await (ctx.stills ?? new StillCache(timeline, plan, ctx)).for(slice);
  const name = `frames-${range[0]}-${range[1]}`;
  await runGraph({ plan: slice, stills, encode: ctx.encode, outPath, streams: ctx.withSound && whole ? 'both' : 'video' }, name, ctx, ctx.onFrames);
}

/** The whole sound of the plan, mixed once, as AAC at `outPath`. */
export async function mixSound(plan: CompositorPlan, outPath: string, ctx: CompositorContext): Promise<void> {
  mkdirSync(ctx.workDir, { recursive: true });
  await runGraph({ plan, stills: [], encode: ctx.encode, outPath, streams: 'audio' }, 'sound', ctx);
}

/** A fresh work folder for one render under the settings' work dir. */
export const makeWorkDir = (root: string, prefix = 'render-'): string => {
  mkdirSync(root, { recursive: true });
  return mkdtempSync(path.join(root, prefix));
};
