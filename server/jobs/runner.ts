/**
 * The running side of jobs: takes job ids from the queue and runs each through the pipeline —
 * load, the download stage (its own slots, so a slow material never holds a render slot), the
 * backend's render, storage — with a time limit, progress for whoever listens, the record kept in
 * the store, and the job's callbacks at the end. The same runner serves `npm start` (in the
 * server's process) and `npm run worker` (a farm's worker).
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { GenVideoError, isGenVideoError } from '../../src/errors';
import { STAGE_END } from '../../src/render/render-draft';
import type { BackendRenderResult } from '../../src/render/backend';
import type { RenderProgress } from '../../src/render/types';
import type { Timeline } from '../../src/timeline/types';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { VideoStorage } from '../storage/types';
import type { JobEvents } from './events';
import { contentHash } from './key';
import type { CallbackNotifier } from './notifier';
import type { JobPipeline } from './pipeline';
import type { JobConsumer, JobQueue } from './queue';
import { completed, failed, MAX_ATTEMPTS, progressed, requeued, started } from './state';
import type { JobStore } from './store';
import { isTerminal, type InProgressJob, type Job } from './types';

export interface JobRunnerOptions {
  store: JobStore;
  events: JobEvents;
  consumer: JobConsumer;
  storage: VideoStorage;
  pipeline: JobPipeline;
  notifier: CallbackNotifier;
  log: Logger;
  /** Finished videos wait here for the storage. */
  workDir: string;
  renderTimeoutSec: number;
  videoUrlTtlSec: number;
  /** Jobs whose materials download at the same time. */
  downloadSlots: number;
  /** S3 storage: where a backend that writes to S3 itself puts the video. */
  s3Output?: (videoKey: string) => { bucket: string; key: string };
  /**
   * A farm: called once the timeline is ready; true when the job was handed to others (its
   * chunks to several workers, see server/farm/chunks.ts), which end it. The run stops there.
   */
  handOff?: (job: InProgressJob, timeline: Timeline, signal: AbortSignal) => Promise<boolean>;
  metrics?: Metrics;
}

/** What a finished render hands to `complete`. */
export type RenderedVideo = Pick<BackendRenderResult, 'widthPx' | 'heightPx' | 'fps' | 'durationSec' | 'sizeBytes' | 'warnings' | 'engine' | 'engineReason' | 'stored'>;

/** Share of the job's progress the pipeline gets; the rest is the upload to storage. */
const PIPELINE_SHARE = 0.97;
const PERSIST_EVERY_MS = 1000;
const EMIT_EVERY_MS = 200;

/** A run stopped by a graceful shutdown: not the job's fault, it runs again. */
export class Shutdown extends Error {
  constructor() {
    super('shutting down');
  }
}

/** Another run took the job over (this one was thought dead): it must leave no trace. */
export class LostJob extends Error {
  constructor() {
    super('the job was taken over by another run');
  }
}

/** At most `size` at once, first come first served. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = size;
  }
  async with<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (this.#free > 0) this.#free--;
    else {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal.removeEventListener('abort', stop);
          resolve();
        };
        const stop = () => {
          this.#waiting.splice(this.#waiting.indexOf(go), 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', stop, { once: true });
        this.#waiting.push(go);
      });
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

export class JobRunner {
  readonly #o: JobRunnerOptions;
  readonly #downloads: Slots;

  constructor(opts: JobRunnerOptions) {
    this.#o = opts;
    this.#downloads = new Slots(opts.downloadSlots);
    mkdirSync(opts.workDir, { recursive: true });
  }

  get running(): number {
    return this.#o.consumer.running;
  }

  start(): void {
    this.#o.consumer.start((id, signal) => this.run(id, signal));
  }

  /** Runs `work` in a download slot (the download stage of a job, or of a chunk of one). */
  download<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T> {
    return this.#downloads.with(work, signal);
  }

  /** The job's deadline: RENDER_TIMEOUT_SECONDS from the start of its run. */
  deadlineOf(job: InProgressJob): number {
    return job.startedAt + this.#o.renderTimeoutSec * 1000;
  }

  /**
   * One process owning the store (npm start): jobs a crash interrupted run again (or fail, the
   * second time), and the queued ones go back in line, oldest first.
   */
  async recover(queue: JobQueue): Promise<void> {
    const now = Date.now();
    for (const job of await this.#o.store.byStatus('in-progress', 'queued')) {
      if (job.status === 'in-progress' && job.attempts >= MAX_ATTEMPTS) {
        await this.#end(failed(job, new GenVideoError('RENDER_FAILED', '服务重启导致任务中断（已重试），请重新提交'), now));
        this.#o.log.warn(`job ${job.id}: interrupted ${job.attempts} times, marked failed`);
        continue;
      }
      if (job.status === 'in-progress') await this.#o.store.update(requeued(job, { countAttempt: true }));
      await queue.add(job.id, { force: true });
      this.#o.log.info(`job ${job.id}: ${job.status === 'in-progress' ? 'interrupted, re-queued' : 're-queued'}`);
    }
  }

  /** Runs one job to its end. Safe to call for a job that already ended (does nothing). */
  async run(id: string, outer: AbortSignal): Promise<void> {
    const o = this.#o;
    const stored = await o.store.get(id);
    if (!stored || isTerminal(stored)) return;
    if (stored.status === 'in-progress' && stored.attempts >= MAX_ATTEMPTS) {
      // Taken over from a worker that died while running it, again.
      await this.#end(failed(stored, new GenVideoError('RENDER_FAILED', '渲染进程中断（已重试），请重新提交'), Date.now()));
      return;
    }
    let job: InProgressJob = started(stored, Date.now());
    let lastPersist = 0;
    let lastEmit = 0;
    const controller = new AbortController();
    const save = async (force: boolean) => {
      const snapshot = job;
      const now = Date.now();
      if (force || now - lastPersist >= PERSIST_EVERY_MS) {
        lastPersist = now;
        if (!(await o.store.update(snapshot))) controller.abort(new LostJob());
      }
      if (!controller.signal.aborted && (force || now - lastEmit >= EMIT_EVERY_MS)) {
        lastEmit = now;
        o.events.publish(snapshot);
      }
    };
    await o.store.takeOver(job);
    o.events.publish(job);
    o.log.info(`job ${id}: started (try ${job.attempts})`);

    const stopOnOuter = () => controller.abort(outer.reason);
    outer.addEventListener('abort', stopOnOuter, { once: true });
    const timer = setTimeout(() => controller.abort(new GenVideoError('TIMEOUT', `超过${o.renderTimeoutSec}秒`)), o.renderTimeoutSec * 1000);
    const signal = controller.signal;
    // A step that ignores its signal still cannot hold the job past its time limit.
    const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    aborted.catch(() => undefined);
    const step = <T>(p: Promise<T>) => Promise.race([p, aborted]);
    const onProgress = (p: RenderProgress) => {
      if (signal.aborted) return;
      const stage = p.stage === 'done' ? job.stage : p.stage;
      const changed = stage !== job.stage;
      job = progressed(job, stage, p.progress * PIPELINE_SHARE);
      void save(changed).catch((e) => o.log.warn(`job ${id}: progress not saved: ${String(e)}`));
    };
    const outPath = path.join(o.workDir, `${id}.mp4`);

    try {
      const loaded = await step(o.pipeline.load(job.draftUrl, { signal }));
      job = { ...job, contentHash: contentHash(loaded.json ?? loaded.draft) };
      await save(true);
      const timeline = await step(
        this.download(
          () =>
            o.pipeline.prepare(job.draftUrl, loaded, {
              signal,
              onProgress: (share) => onProgress({ stage: 'download', progress: STAGE_END.parse + (STAGE_END.download - STAGE_END.parse) * share }),
            }),
          signal,
        ),
      );
      if (o.handOff && (await step(o.handOff(job, timeline, signal)))) {
        job = progressed(job, 'render', STAGE_END.download * PIPELINE_SHARE);
        await save(true);
        o.log.info(`job ${id}: handed over in chunks`);
        return;
      }
      const videoKey = `${id}.mp4`;
      const result = await step(
        o.pipeline.backend.render({
          jobId: id,
          timeline,
          outPath,
          s3Output: o.s3Output?.(videoKey),
          signal,
          onProgress,
          log: (m) => o.log.info(`job ${id}: ${m}`),
        }),
      );
      signal.throwIfAborted();
      job = { ...progressed(job, 'store', PIPELINE_SHARE), warnings: result.warnings ?? [] };
      await save(true);
      await step(this.complete(job, result, outPath, signal));
    } catch (e) {
      const reason = signal.aborted ? signal.reason : e;
      if (reason instanceof LostJob) {
        o.log.warn(`job ${id}: taken over by another run; this one stops`);
      } else if (reason instanceof Shutdown) {
        const again = requeued(job, { countAttempt: false });
        await o.store.update(again);
        o.events.publish(again);
        o.log.warn(`job ${id}: interrupted by shutdown, re-queued for the next start`);
      } else {
        await this.fail(job, reason);
      }
    } finally {
      clearTimeout(timer);
      outer.removeEventListener('abort', stopOnOuter);
      rmSync(outPath, { force: true });
    }
  }

  /** The video into storage (unless the backend put it there) and the job completed. */
  async complete(job: InProgressJob, video: RenderedVideo, outPath: string, signal: AbortSignal): Promise<void> {
    const o = this.#o;
    const videoKey = `${job.id}.mp4`;
    if (!video.stored) await o.storage.put(outPath, videoKey);
    signal.throwIfAborted();
    const done = completed(job, {
      now: Date.now(),
      videoKey,
      videoUrl: await o.storage.url(videoKey, o.videoUrlTtlSec),
      videoUrlExpiresAt: Date.now() + o.videoUrlTtlSec * 1000,
      video: { widthPx: video.widthPx, heightPx: video.heightPx, fps: video.fps, durationSec: video.durationSec, sizeBytes: video.sizeBytes },
    });
    o.metrics?.rendered(video.engine, (done.completedAt - job.startedAt) / 1000);
    o.log.info(
      `job ${job.id}: completed in ${((done.completedAt - job.startedAt) / 1000).toFixed(1)} s (${video.widthPx}x${video.heightPx}, ${video.durationSec.toFixed(2)} s, ${video.engine}${video.engineReason ? `: ${video.engineReason}` : ''})`,
    );
    await this.#end(done);
  }

  /** The job failed with `reason` (a GenVideoError says how; anything else is 500 视频渲染失败). */
  async fail(job: Job, reason: unknown): Promise<void> {
    const err = isGenVideoError(reason) ? reason : new GenVideoError('RENDER_FAILED');
    if (!isGenVideoError(reason)) this.#o.log.error(`job ${job.id}: unexpected error`, reason);
    this.#o.log.warn(`job ${job.id}: failed: ${err.code} ${err.detail}`);
    await this.#end(failed(job, err, Date.now()));
  }

  /** Saves an ended job, tells everyone waiting, and calls its callbacks (only the run that owns it). */
  async #end(job: Job): Promise<void> {
    if (!(await this.#o.store.update(job))) {
      this.#o.log.warn(`job ${job.id}: taken over by another run; its end is that run's`);
      return;
    }
    this.#o.events.publish(job);
    if (job.status === 'completed' || job.status === 'failed') this.#o.metrics?.jobEnded(job.status, job.status === 'failed' ? job.errorCode : undefined);
    // Read back after the end is saved: a callback added until then is in the record, a later one is sent by the API.
    const urls = (await this.#o.store.get(job.id))?.callbackUrls ?? [];
    if (urls.length) this.#o.notifier.send(job, urls);
  }

  /** Takes no more jobs; the running ones get `graceMs`, then stop and go back in line. */
  async shutdown(graceMs: number): Promise<void> {
    await this.#o.consumer.stop(graceMs, new Shutdown());
    await this.#o.pipeline.backend.close();
  }
}
