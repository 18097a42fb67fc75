/**
 * One long video on several workers. A draft longer than FARM_SPLIT_SECONDS is cut into the
 * frame ranges a single machine draws one after another (GEN_VIDEO_CHUNK_SECONDS each), and
 * they become a BullMQ flow: a `chunk` job per range (children, taken by any worker at once) and
 * a `join` (their parent) that mixes the sound once, joins the chunks without re-encoding and
 * completes the job. Chunks travel through the storage; the join removes them. Every step draws
 * what a single machine draws, so the video is the same frame for frame.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { FlowProducer, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { GenVideoError } from '../../src/errors';
import type { LocalBackend } from '../../src/render/local-backend';
import { chunkRanges } from '../../src/render/compositor';
import { STAGE_END } from '../../src/render/render-draft';
import type { RenderSettings } from '../../src/render/settings';
import type { Timeline } from '../../src/timeline/types';
import type { JobEvents } from '../jobs/events';
import { contentHash } from '../jobs/key';
import type { JobPipeline } from '../jobs/pipeline';
import type { JobRunner } from '../jobs/runner';
import { progressed } from '../jobs/state';
import type { JobStore } from '../jobs/store';
import { isTerminal, type InProgressJob } from '../jobs/types';
import type { Logger } from '../log';
import type { VideoStorage } from '../storage/types';
import { QUEUE_NAME, type ChunkData, type FarmProcessors, type JoinData } from './bullmq-queue';
import { bullConnection } from './redis';

export interface ChunkedRenderOptions {
  redisUrl: string;
  redis: Redis;
  store: JobStore;
  events: JobEvents;
  storage: VideoStorage;
  pipeline: JobPipeline;
  backend: LocalBackend;
  runner: () => JobRunner;
  settings: RenderSettings;
  /** Videos longer than this are split. */
  splitSeconds: number;
  log: Logger;
}

/** Share of the job's progress the pipeline gets (as the runner counts it). */
const SHARE = 0.97;

const chunkKey = (jobId: string, index: number) => `${jobId}.chunk-${index}.mp4`;
const framesKey = (jobId: string) => `gv:frames:${jobId}`;
const engineKey = (jobId: string) => `gv:engine:${jobId}`;

export function createChunkedRender(o: ChunkedRenderOptions): { handOff: (job: InProgressJob, timeline: Timeline, signal: AbortSignal) => Promise<boolean>; processors: FarmProcessors; close(): Promise<void> } {
  const flows = new FlowProducer({ connection: bullConnection(o.redisUrl, { failFast: false }) });
  flows.on('error', () => undefined);

  /** The job, if `runId` still owns it and it has not ended. */
  const owned = async (jobId: string, runId: string): Promise<InProgressJob | undefined> => {
    const job = await o.store.get(jobId);
    return job && !isTerminal(job) && job.status === 'in-progress' && job.runId === runId ? job : undefined;
  };

  /**
   * A step of a handed-over job: its deadline and its end (another chunk failing) stop it; its
   * own failure fails the job and removes the chunks.
   */
  async function step(jobId: string, runId: string, chunks: number, outer: AbortSignal, work: (job: InProgressJob, signal: AbortSignal) => Promise<void>): Promise<void> {
    const job = await owned(jobId, runId);
    if (!job) return; // ended meanwhile, or taken over: nothing to do
    const controller = new AbortController();
    const stopOnOuter = () => controller.abort(outer.reason);
    outer.addEventListener('abort', stopOnOuter, { once: true });
    const left = o.runner().deadlineOf(job) - Date.now();
    const timer = setTimeout(() => controller.abort(new GenVideoError('TIMEOUT', `超过${Math.round((o.runner().deadlineOf(job) - job.startedAt) / 1000)}秒`)), Math.max(0, left));
    const unsubscribe = o.events.subscribe(jobId, (j) => isTerminal(j) && controller.abort(new Error('the job ended')));
    try {
      await work(job, controller.signal);
    } catch (e) {
      const reason = controller.signal.aborted ? controller.signal.reason : e;
      if (outer.aborted) throw reason; // a shutdown: BullMQ gives the step to another worker
      const now = await owned(jobId, runId);
      if (now) {
        await o.runner().fail(now, reason);
        await removeChunks(jobId, chunks);
      }
      throw new UnrecoverableError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      clearTimeout(timer);
      unsubscribe();
      outer.removeEventListener('abort', stopOnOuter);
    }
  }

  const removeChunks = async (jobId: string, chunks: number) => {
    await Promise.all(Array.from({ length: chunks }, (_, i) => o.storage.remove(chunkKey(jobId, i)).catch(() => undefined)));
    await o.redis.del(framesKey(jobId), engineKey(jobId)).catch(() => undefined);
  };

  /** The draft as the job saw it when it was split: the same content, or a clear failure. */
  const timelineOf = async (job: InProgressJob, signal: AbortSignal): Promise<Timeline> => {
    const loaded = await o.pipeline.load(job.draftUrl, { signal });
    if (job.contentHash && contentHash(loaded.json ?? loaded.draft) !== job.contentHash) {
      throw new GenVideoError('RENDER_FAILED', 'the draft changed while it was being rendered; POST it again');
    }
    return o.runner().download(() => o.pipeline.prepare(job.draftUrl, loaded, { signal, onProgress: () => undefined }), signal);
  };

  const workFile = (name: string) => {
    mkdirSync(o.settings.workDir, { recursive: true });
    return path.join(o.settings.workDir, name);
  };

  return {
    async handOff(job, timeline) {
      if (timeline.durationFrames / timeline.fps <= o.splitSeconds || !o.settings.ffmpegPath) return false;
      const framesPerChunk = Math.max(1, Math.round(o.settings.chunkSeconds * timeline.fps));
      const ranges = chunkRanges(timeline.durationFrames, framesPerChunk);
      if (ranges.length < 2) return false;
      const runId = job.runId!;
      await o.redis.del(framesKey(job.id));
      await flows.add({
        name: 'join',
        queueName: QUEUE_NAME,
        data: { jobId: job.id, runId, chunks: ranges.length, framesPerChunk } satisfies JoinData,
        opts: { removeOnComplete: true, removeOnFail: true },
        children: ranges.map((range, index) => ({
          name: 'chunk',
          queueName: QUEUE_NAME,
          data: { jobId: job.id, runId, index, range, framesPerChunk, chunks: ranges.length } satisfies ChunkData,
          opts: { removeOnComplete: true, removeOnFail: true, failParentOnFailure: true },
        })),
      });
      o.log.info(`job ${job.id}: ${ranges.length} chunks of ${o.settings.chunkSeconds} s for the farm`);
      return true;
    },

    processors: {
      chunk: (d, outer) =>
        step(d.jobId, d.runId, d.chunks, outer, async (job, signal) => {
          const timeline = await timelineOf(job, signal);
          const out = workFile(`${d.jobId}.chunk-${d.index}.mp4`);
          const total = timeline.durationFrames;
          let reported = 0;
          try {
            const drawn = await o.backend.run(
              'range',
              { timeline, range: d.range, framesPerChunk: d.framesPerChunk, outPath: out, settings: o.settings },
              {
                signal,
                onProgress: (p) => {
                  const frames = p.renderedFrames ?? 0;
                  if (frames - reported < 15) return;
                  reported = frames;
                  void report(job, d.index, frames, total);
                },
              },
            );
            await o.storage.put(out, chunkKey(d.jobId, d.index));
            await o.redis.set(engineKey(d.jobId), drawn.reason ? `${drawn.engine}: ${drawn.reason}` : drawn.engine, 'EX', 7 * 86400);
            await report(job, d.index, d.range[1] - d.range[0], total);
            o.log.info(`job ${d.jobId}: chunk ${d.index + 1}/${d.chunks} (frames ${d.range[0]}–${d.range[1] - 1}) done`);
          } finally {
            rmSync(out, { force: true });
          }
        }),

      join: (d, outer) =>
        step(d.jobId, d.runId, d.chunks, outer, async (job, signal) => {
          const timeline = await timelineOf(job, signal);
          const sound = workFile(`${d.jobId}.sound.m4a`);
          const parts = Array.from({ length: d.chunks }, (_, i) => workFile(`${d.jobId}.join-${i}.mp4`));
          const out = workFile(`${d.jobId}.mp4`);
          try {
            await saveProgress(job, 'audio', STAGE_END.render);
            await o.backend.run('sound', { timeline, outPath: sound, settings: o.settings }, { signal });
            await Promise.all(parts.map((p, i) => o.storage.get(chunkKey(d.jobId, i), p)));
            await saveProgress(job, 'encode', STAGE_END.audio);
            await o.backend.run('assemble', { parts, sound, outPath: out, settings: o.settings }, { signal });
            const done = await saveProgress(job, 'store', 1);
            const [engine, reason] = ((await o.redis.get(engineKey(d.jobId))) ?? 'compositor').split(/: (.*)/s);
            await o.runner().complete(
              { ...done, warnings: timeline.warnings },
              {
                widthPx: timeline.widthPx,
                heightPx: timeline.heightPx,
                fps: timeline.fps,
                durationSec: timeline.durationFrames / timeline.fps,
                sizeBytes: statSync(out).size,
                warnings: timeline.warnings,
                engine: engine === 'remotion' ? 'remotion' : 'compositor',
                engineReason: `${d.chunks} chunks on the farm${reason ? `; ${reason}` : ''}`,
                stored: false,
              },
              out,
              signal,
            );
            await removeChunks(d.jobId, d.chunks);
          } finally {
            for (const f of [sound, out, ...parts]) rmSync(f, { force: true });
          }
        }),

      async requeued(jobId) {
        return (await o.store.get(jobId))?.status === 'queued';
      },
    },

    close: () => flows.close(),
  };

  /** This chunk's frames, and the job's progress over all chunks done so far. */
  async function report(job: InProgressJob, index: number, frames: number, total: number): Promise<void> {
    await o.redis.hset(framesKey(job.id), String(index), String(frames));
    const done = (await o.redis.hvals(framesKey(job.id))).reduce((a, b) => a + Number(b), 0);
    const share = Math.min(1, done / Math.max(1, total));
    await saveProgress(job, 'render', STAGE_END.download + (STAGE_END.render - STAGE_END.download) * share);
  }

  async function saveProgress(job: InProgressJob, stage: InProgressJob['stage'], progress: number): Promise<InProgressJob> {
    const next = progressed(job, stage, progress * SHARE);
    if (await o.store.update(next)) o.events.publish(next);
    return next;
  }
}
