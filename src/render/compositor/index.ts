/**
 * The compositor: draws a timeline with one ffmpeg run instead of a browser screenshot per frame.
 * The browser still draws what only it can (text, masks, adjustments), once per layer, as stills.
 * planComposite says whether a timeline qualifies; anything it cannot draw exactly stays with Remotion.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeCancelSignal } from '@remotion/renderer';
import type { Timeline } from '../../timeline/types';
import type { EncodeSettings, FrameProgress } from '../render-timeline';
import { buildFfmpegJob } from './graph';
import type { CompositorPlan } from './plan';
import { runFfmpeg } from './run';
import { renderStills } from './stills';

export { planComposite, type CompositorPlan } from './plan';

export interface CompositeOptions {
  /** Where ffmpeg writes; the caller renames it when complete. */
  outPath: string;
  ffmpeg: string;
  encode: EncodeSettings;
  signal?: AbortSignal;
  onProgress?: (p: FrameProgress) => void;
  /** Temp files (stills, the graph) go under here and are removed afterwards. */
  tempDir?: string;
}

export type CompositeStage = 'stills' | 'frames';

/** Renders `timeline` by `plan`; throws with `stage` set on the error to tell where it failed. */
export async function renderComposite(timeline: Timeline, plan: CompositorPlan, o: CompositeOptions): Promise<void> {
  const work = mkdtempSync(path.join(o.tempDir ?? os.tmpdir(), 'gen-video-composite-'));
  const total = plan.durationFrames;
  const report = (frames: number, stitchStage: FrameProgress['stitchStage']) =>
    o.onProgress?.({ renderedFrames: frames, encodedFrames: frames, totalFrames: total, stitchStage, progress: frames / total });
  let stage: CompositeStage = 'stills';
  try {
    report(0, 'encoding');
    const { cancelSignal, cancel } = makeCancelSignal();
    const onAbort = () => cancel();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    let stills;
    const t0 = performance.now();
    try {
      stills = await renderStills(timeline, plan.stills, { dir: work, ffmpeg: o.ffmpeg, concurrency: o.encode.concurrency, cancelSignal });
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
    o.signal?.throwIfAborted();
    if (process.env.GEN_VIDEO_KEEP_COMPOSITE) console.error(`stills ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    stage = 'frames';
    const graphPath = path.join(work, 'graph.txt');
    const job = buildFfmpegJob({ plan, stills, encode: o.encode, outPath: o.outPath }, graphPath);
    writeFileSync(graphPath, job.graph);
    if (process.env.GEN_VIDEO_KEEP_COMPOSITE) writeFileSync(path.join(work, 'args.json'), JSON.stringify(job.args));
    await runFfmpeg(o.ffmpeg, job.args, { signal: o.signal, onFrames: (n) => report(Math.min(n, total), 'encoding') });
    if (process.env.GEN_VIDEO_KEEP_COMPOSITE) console.error(`all ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    report(total, 'muxing');
  } catch (err) {
    if (err instanceof Error) Object.assign(err, { compositeStage: stage });
    throw err;
  } finally {
    if (!process.env.GEN_VIDEO_KEEP_COMPOSITE) rmSync(work, { recursive: true, force: true });
  }
}
