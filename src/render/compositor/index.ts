/**
 * The compositor: draws a timeline with one ffmpeg run instead of a browser screenshot per frame.
 * The browser still draws what only it can (text, masks, adjustments), once per layer, as stills.
 * planComposite says whether a timeline qualifies; anything it cannot draw exactly stays with Remotion.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeCancelSignal } from '@remotion/renderer';
import type { Timeline } from '../../timeline/types';
import type { EncodeSettings, FrameProgress } from '../render-timeline';
import { chunkRanges, slicePlan } from './chunks';
import { buildFfmpegJob, type GraphInputs } from './graph';
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
  if (o.tempDir) mkdirSync(o.tempDir, { recursive: true });
  const work = mkdtempSync(path.join(o.tempDir ?? os.tmpdir(), 'gen-video-composite-'));
  const total = plan.durationFrames;
  const report = (frames: number, stitchStage: FrameProgress['stitchStage']) =>
    o.onProgress?.({ renderedFrames: frames, encodedFrames: frames, totalFrames: total, stitchStage, progress: frames / total });
  let stage: CompositeStage = 'stills';
  // Stops whatever ffmpeg still runs (the sound mix) when a chunk fails.
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  try {
    report(0, 'encoding');
    const { cancelSignal, cancel } = makeCancelSignal();
    const onAbort = () => cancel();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    let stills;
    try {
      stills = await renderStills(timeline, plan.stills, { dir: work, ffmpeg: o.ffmpeg, concurrency: o.encode.concurrency, cancelSignal });
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
    o.signal?.throwIfAborted();
    stage = 'frames';
    const run = async (g: GraphInputs, name: string, frameOffset: number) => {
      const graphPath = path.join(work, `${name}.graph.txt`);
      const job = buildFfmpegJob(g, graphPath);
      writeFileSync(graphPath, job.graph);
      if (process.env.GEN_VIDEO_KEEP_COMPOSITE) writeFileSync(path.join(work, `${name}.args.json`), JSON.stringify(job.args));
      await runFfmpeg(o.ffmpeg, job.args, { signal, onFrames: (n) => report(Math.min(frameOffset + n, total), 'encoding') });
    };
    const ranges = chunkRanges(plan.durationFrames, plan.fps);
    if (ranges.length === 1) {
      await run({ plan, stills, encode: o.encode, outPath: o.outPath }, 'all', 0);
    } else {
      // The sound (one thread) is mixed while the chunks are drawn.
      const audio = path.join(work, 'audio.m4a');
      const mixing = run({ plan, stills, encode: o.encode, outPath: audio, streams: 'audio' }, 'audio', total);
      mixing.catch(() => undefined); // awaited below; a chunk failing first must not leave it unhandled
      const parts: string[] = [];
      for (const [i, [from, end]] of ranges.entries()) {
        const part = path.join(work, `part-${i}.mp4`);
        await run({ plan: slicePlan(plan, from, end), stills, encode: o.encode, outPath: part, streams: 'video' }, `part-${i}`, from);
        parts.push(part);
      }
      report(total, 'muxing');
      await mixing;
      const list = path.join(work, 'parts.txt');
      writeFileSync(list, parts.map((p) => `file '${p.replace(/'/g, "'\\''")}'`).join('\n'));
      // Every part starts on a key frame with the same encoder settings: joined without re-encoding.
      await runFfmpeg(
        o.ffmpeg,
        ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-i', audio,
          '-map', '0:v', '-map', '1:a', '-c', 'copy', '-movflags', '+faststart', o.outPath],
        { signal },
      );
    }
    report(total, 'muxing');
  } catch (err) {
    stop.abort(err);
    if (err instanceof Error) Object.assign(err, { compositeStage: stage });
    throw err;
  } finally {
    if (!process.env.GEN_VIDEO_KEEP_COMPOSITE) rmSync(work, { recursive: true, force: true });
  }
}
