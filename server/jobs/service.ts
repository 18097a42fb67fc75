/**
 * Jobs: one per render of a draft. Owns dedupe (one job per draft at a time), running jobs through
 * the queue, progress, persistence, callbacks, restart recovery and graceful shutdown.
 * Routes only call submit / get / waitFor / subscribe.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { GenVideoError, isGenVideoError } from '../../src/errors';
import type { DraftContext } from '../../src/draft/types';
import type { RenderEngine } from '../../src/render/engine';
import type { RenderSettings } from '../../src/render/settings';
import type { RenderDraftOptions, RenderProgress, RenderResult } from '../../src/render/types';
import type { Logger } from '../log';
import type { VideoStorage } from '../storage/types';
import { deliverCallback } from './callback';
import { contentHash, draftKey } from './key';
import { createRenderQueue, type RenderQueue } from './queue';
import type { JobStore } from './store';
import { isTerminal, type CompletedJob, type FailedJob, type Job, type QueuedJob } from './types';
import { jobView } from './view';

export type RenderFn = (opts: RenderDraftOptions) => Promise<RenderResult>;
export interface LoadedDraft {
  draft: unknown;
  context: DraftContext;
  /** The draft document as read, for hashing (falls back to `draft`). */
  json?: unknown;
}
export type LoadFn = (
  source: string,
  opts: { allowPrivateNetwork?: boolean; allowAddresses?: readonly string[]; signal?: AbortSignal },
) => Promise<LoadedDraft>;

export interface JobServiceOptions {
  store: JobStore;
  storage: VideoStorage;
  render: RenderFn;
  load: LoadFn;
  log: Logger;
  dataDir: string;
  allowPrivateNetwork: boolean;
  /** PRIVATE_NETWORK_ALLOWLIST: exact IPs exempt from the private-network refusal (drafts, materials, callbacks). */
  allowAddresses?: readonly string[];
  renderConcurrency: number;
  /** RENDER_ENGINE; absent = the renderer's default. */
  renderEngine?: RenderEngine;
  queueLimit: number;
  renderTimeoutSec: number;
  videoUrlTtlSec: number;
  callbackMaxAttempts: number;
  callbackTimeoutSec: number;
  /** What renders need (engine, binaries, limits, work and cache dirs). */
  settings: RenderSettings;
  /** For tests: callback back-off. */
  callbackBackoffMs?: (attempt: number) => number;
}

/** Share of the job's progress the pipeline gets; the rest is the upload to storage. */
const PIPELINE_SHARE = 0.97;
/** A job that was running when the process died is re-run once; the second time it fails. */
const MAX_ATTEMPTS = 2;
const PERSIST_EVERY_MS = 1000;
const EMIT_EVERY_MS = 200;

interface Live {
  job: Job;
  done: Promise<Job>;
  finish: (job: Job) => void;
  abort: AbortController;
  listeners: Set<(job: Job) => void>;
  preloaded?: LoadedDraft & { hash: string };
  lastPersist: number;
  lastEmit: number;
}

class Shutdown extends Error {
  constructor() {
    super('server shutting down');
  }
}

export class JobService {
  readonly queue: RenderQueue;
  readonly #o: JobServiceOptions;
  readonly #live = new Map<string, Live>();
  readonly #activeByKey = new Map<string, string>();
  readonly #resolving = new Map<string, Promise<Job>>();
  readonly #callbacks = new Set<Promise<unknown>>();
  readonly #stopping = new AbortController();
  readonly #tmpDir: string;
  /** Draining: no new jobs (POST answers 503). */
  #draining = false;

  constructor(opts: JobServiceOptions) {
    this.#o = opts;
    this.#tmpDir = path.join(opts.dataDir, 'tmp');
    this.queue = createRenderQueue({
      concurrency: opts.renderConcurrency,
      limit: opts.queueLimit,
      onError: (id, e) => opts.log.error(`job ${id}: unexpected runner error`, e),
    });
  }

  /** Fires when the server begins to shut down: long waits answer at once. */
  get stoppingSignal(): AbortSignal {
    return this.#stopping.signal;
  }

  /**
   * Start-up: remove orphan temp files, re-queue jobs that never ran or were interrupted
   * (failing those interrupted too often).
   */
  start(): void {
    rmSync(this.#tmpDir, { recursive: true, force: true });
    mkdirSync(this.#tmpDir, { recursive: true });
    const parts = removePartFiles(path.join(this.#o.dataDir, 'cache'));
    if (parts) this.#o.log.info(`removed ${parts} unfinished download(s) from the material cache`);
    const now = Date.now();
    for (const job of this.#o.store.byStatus('in-progress', 'queued')) {
      if (this.#activeByKey.has(job.draftKey)) {
        this.#fail(job, new GenVideoError('RENDER_FAILED', '同一草稿已有任务在处理'), now);
        continue;
      }
      if (job.status === 'in-progress' && job.attempts >= MAX_ATTEMPTS) {
        this.#fail(job, new GenVideoError('RENDER_FAILED', '服务重启导致任务中断（已重试），请重新提交'), now);
        this.#o.log.warn(`job ${job.id}: interrupted ${job.attempts} times, marked failed`);
        continue;
      }
      const queued: QueuedJob = { ...job, status: 'queued', stage: 'parse', progress: 0 };
      this.#o.store.update(queued);
      this.#enqueue(queued, { ignoreLimit: true });
      this.#o.log.info(`job ${job.id}: ${job.status === 'in-progress' ? 'interrupted, re-queued' : 're-queued'}`);
    }
  }

  /** The job of a draft: joins the running one, reuses a finished one of the same content, or starts one. */
  async submit(draftUrl: string, opts: { callbackUrl?: string } = {}): Promise<Job> {
    if (this.#draining) throw new GenVideoError('BUSY', '服务正在重启');
    const key = draftKey(draftUrl);
    // Everything up to the map updates is synchronous: concurrent POSTs of one draft see one job.
    const activeId = this.#activeByKey.get(key);
    let job: Job;
    if (activeId) {
      job = this.#live.get(activeId)!.job;
    } else {
      let pending = this.#resolving.get(key);
      if (!pending) {
        const p = this.#resolve(key, draftUrl);
        this.#resolving.set(key, p);
        const clear = () => {
          if (this.#resolving.get(key) === p) this.#resolving.delete(key);
        };
        p.then(clear, clear);
        pending = p;
      }
      job = await pending;
    }
    if (opts.callbackUrl) this.#addCallback(job.id, opts.callbackUrl);
    return this.#fresh(job);
  }

  async #resolve(key: string, draftUrl: string): Promise<Job> {
    const last = this.#o.store.latestByKey(key);
    if (last?.status === 'completed') {
      // Cheap: the draft JSON only. Same content → same video.
      const loaded = await this.#o.load(draftUrl, { allowPrivateNetwork: this.#o.allowPrivateNetwork, allowAddresses: this.#o.allowAddresses });
      const hash = contentHash(loaded.json ?? loaded.draft);
      if (hash === last.contentHash && (await this.#o.storage.exists(last.videoKey))) return last;
      this.#o.log.info(`draft ${describe(key)}: ${hash === last.contentHash ? 'video missing' : 'content changed'}, rendering again`);
      return this.#create(key, draftUrl, { ...loaded, hash });
    }
    return this.#create(key, draftUrl);
  }

  #create(key: string, draftUrl: string, preloaded?: Live['preloaded']): Job {
    if (this.#draining) throw new GenVideoError('BUSY', '服务正在重启');
    if (!this.queue.hasRoom()) throw new GenVideoError('BUSY');
    const job: QueuedJob = {
      id: randomUUID(),
      draftUrl,
      draftKey: key,
      callbackUrls: [],
      status: 'queued',
      stage: 'parse',
      progress: 0,
      attempts: 0,
      createdAt: Date.now(),
      warnings: [],
    };
    this.#o.store.insert(job);
    this.#enqueue(job, { preloaded });
    this.#o.log.info(`job ${job.id}: queued for ${describe(key)}`);
    return job;
  }

  #enqueue(job: QueuedJob, opts: { ignoreLimit?: boolean; preloaded?: Live['preloaded'] }): void {
    let finish!: (job: Job) => void;
    const done = new Promise<Job>((r) => (finish = r));
    const live: Live = {
      job,
      done,
      finish,
      abort: new AbortController(),
      listeners: new Set(),
      preloaded: opts.preloaded,
      lastPersist: 0,
      lastEmit: 0,
    };
    this.#live.set(job.id, live);
    this.#activeByKey.set(job.draftKey, job.id);
    try {
      this.queue.enqueue(job.id, () => this.#run(live), { ignoreLimit: opts.ignoreLimit });
    } catch (e) {
      this.#live.delete(job.id);
      this.#activeByKey.delete(job.draftKey);
      throw e;
    }
  }

  get(id: string): Job | undefined {
    return this.#live.get(id)?.job ?? this.#o.store.get(id);
  }

  /** The latest job of a draft (any state). */
  latestForDraft(draftUrl: string): Job | undefined {
    const key = draftKey(draftUrl);
    const activeId = this.#activeByKey.get(key);
    return (activeId && this.#live.get(activeId)?.job) || this.#o.store.latestByKey(key);
  }

  queuePosition(id: string): number | undefined {
    return this.queue.position(id);
  }

  /** Resolves when the job ends, `timeoutMs` passes, `signal` fires or the server stops: the job as it is then. */
  async waitFor(id: string, timeoutMs: number, signal?: AbortSignal): Promise<Job | undefined> {
    const live = this.#live.get(id);
    if (!live || timeoutMs <= 0) return this.get(id) && this.#fresh(this.get(id)!);
    let wake!: () => void;
    const stop = new Promise<void>((resolve) => (wake = resolve));
    const signals = [this.#stopping.signal, ...(signal ? [signal] : [])];
    const timer = setTimeout(wake, timeoutMs);
    for (const s of signals) {
      if (s.aborted) wake();
      else s.addEventListener('abort', wake, { once: true });
    }
    try {
      await Promise.race([live.done, stop]);
    } finally {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', wake);
    }
    return this.#fresh(this.get(id)!);
  }

  /** Live updates of a job; called at once with its current state. Returns the unsubscribe function. */
  subscribe(id: string, listener: (job: Job) => void): () => void {
    const live = this.#live.get(id);
    const job = this.get(id);
    if (job) listener(job);
    if (!live) return () => {};
    live.listeners.add(listener);
    return () => live.listeners.delete(listener);
  }

  /** A completed job whose URL is too old gets a freshly signed one (stored, so everyone sees the same). */
  async #fresh(job: Job): Promise<Job> {
    if (job.status !== 'completed') return job;
    const ttlMs = this.#o.videoUrlTtlSec * 1000;
    const current = this.#o.storage.isCurrentUrl?.(job.videoUrl) ?? true;
    if (current && job.videoUrlExpiresAt - Date.now() > ttlMs / 2) return job;
    const updated: CompletedJob = {
      ...job,
      videoUrl: await this.#o.storage.url(job.videoKey, this.#o.videoUrlTtlSec),
      videoUrlExpiresAt: Date.now() + ttlMs,
    };
    this.#o.store.update(updated);
    return updated;
  }

  #addCallback(id: string, url: string): void {
    const live = this.#live.get(id);
    if (live) {
      if (!live.job.callbackUrls.includes(url)) {
        live.job = { ...live.job, callbackUrls: [...live.job.callbackUrls, url] };
        this.#o.store.update(live.job);
      }
      return;
    }
    // Already finished (a re-POST of a rendered draft): tell the callback now.
    const job = this.#o.store.get(id);
    if (job && isTerminal(job)) void this.#fresh(job).then((j) => this.#sendCallbacks(j, [url]));
  }

  async #run(live: Live): Promise<void> {
    if (this.#draining) return; // stays queued in the store; the next start runs it
    const o = this.#o;
    const startedAt = Date.now();
    live.job = {
      ...live.job,
      status: 'in-progress',
      startedAt,
      stage: 'parse',
      progress: 0,
      attempts: live.job.attempts + 1,
    } as Job;
    this.#update(live, true);
    o.log.info(`job ${live.job.id}: started (try ${live.job.attempts})`);

    const signal = live.abort.signal;
    const timer = setTimeout(
      () => live.abort.abort(new GenVideoError('TIMEOUT', `超过${o.renderTimeoutSec}秒`)),
      o.renderTimeoutSec * 1000,
    );
    const aborted = new Promise<never>((_, reject) => {
      const fire = () => reject(signal.reason);
      if (signal.aborted) fire();
      else signal.addEventListener('abort', fire, { once: true });
    });
    aborted.catch(() => {});
    const outPath = path.join(this.#tmpDir, `${live.job.id}.mp4`);

    try {
      let loaded = live.preloaded;
      live.preloaded = undefined;
      if (!loaded) {
        const l = await Promise.race([o.load(live.job.draftUrl, { allowPrivateNetwork: o.allowPrivateNetwork, allowAddresses: o.allowAddresses, signal }), aborted]);
        loaded = { ...l, hash: contentHash(l.json ?? l.draft) };
      }
      live.job = { ...live.job, contentHash: loaded.hash };
      this.#update(live, true);

      const result = await Promise.race([
        o.render({
          source: live.job.draftUrl,
          loaded: { draft: loaded.draft, context: loaded.context },
          outPath,
          settings: o.settings,
          signal,
          onProgress: (p) => this.#onProgress(live, p),
        }),
        aborted,
      ]);
      signal.throwIfAborted();

      live.job = { ...live.job, stage: 'store', progress: PIPELINE_SHARE, warnings: result.warnings ?? [] };
      this.#update(live, true);
      const videoKey = `${live.job.id}.mp4`;
      await Promise.race([o.storage.put(outPath, videoKey), aborted]);
      const videoUrl = await o.storage.url(videoKey, o.videoUrlTtlSec);
      const completed: CompletedJob = {
        ...live.job,
        status: 'completed',
        stage: 'done',
        progress: 1,
        startedAt,
        completedAt: Date.now(),
        videoKey,
        videoUrl,
        videoUrlExpiresAt: Date.now() + o.videoUrlTtlSec * 1000,
        video: {
          widthPx: result.widthPx,
          heightPx: result.heightPx,
          fps: result.fps,
          durationSec: result.durationSec,
          sizeBytes: result.sizeBytes,
        },
      };
      o.log.info(
        `job ${completed.id}: completed in ${((completed.completedAt - startedAt) / 1000).toFixed(1)} s (${result.widthPx}x${result.heightPx}, ${result.durationSec.toFixed(2)} s, ${result.engine ?? 'remotion'}${result.engineReason ? `: ${result.engineReason}` : ''})`,
      );
      this.#end(live, completed);
    } catch (e) {
      const reason = signal.aborted ? signal.reason : e;
      if (reason instanceof Shutdown) {
        // Interrupted by a graceful shutdown: not the job's fault, run it again at the next start.
        const again: QueuedJob = { ...live.job, status: 'queued', stage: 'parse', progress: 0, attempts: Math.max(0, live.job.attempts - 1) };
        o.store.update(again);
        o.log.warn(`job ${again.id}: interrupted by shutdown, re-queued for the next start`);
        this.#detach(live);
        live.finish(again);
      } else {
        const err = toGenVideoError(reason);
        if (!isGenVideoError(reason)) o.log.error(`job ${live.job.id}: unexpected error`, reason);
        o.log.warn(`job ${live.job.id}: failed: ${err.code} ${err.detail}`);
        this.#end(live, this.#failed(live.job, err, Date.now()));
      }
    } finally {
      clearTimeout(timer);
      rmSync(outPath, { force: true });
    }
  }

  #onProgress(live: Live, p: RenderProgress): void {
    if (isTerminal(live.job) || live.abort.signal.aborted) return;
    const stage = p.stage === 'done' ? live.job.stage : p.stage;
    const progress = Math.max(live.job.progress, Math.min(1, Math.max(0, p.progress)) * PIPELINE_SHARE);
    const stageChanged = stage !== live.job.stage;
    live.job = { ...live.job, stage, progress };
    this.#update(live, stageChanged);
  }

  /** Persist (throttled unless forced) and notify listeners. */
  #update(live: Live, force: boolean): void {
    const now = Date.now();
    if (force || now - live.lastPersist >= PERSIST_EVERY_MS) {
      this.#o.store.update(live.job);
      live.lastPersist = now;
    }
    if (force || now - live.lastEmit >= EMIT_EVERY_MS) {
      live.lastEmit = now;
      for (const l of live.listeners) l(live.job);
    }
  }

  #failed(job: Job, err: GenVideoError, now: number): FailedJob {
    return {
      ...job,
      status: 'failed',
      completedAt: now,
      errorCode: err.code,
      httpStatus: err.status,
      detail: err.detail,
    };
  }

  #fail(job: Job, err: GenVideoError, now: number): void {
    this.#o.store.update(this.#failed(job, err, now));
  }

  #detach(live: Live): void {
    this.#live.delete(live.job.id);
    if (this.#activeByKey.get(live.job.draftKey) === live.job.id) this.#activeByKey.delete(live.job.draftKey);
  }

  #end(live: Live, job: CompletedJob | FailedJob): void {
    live.job = job;
    this.#o.store.update(job);
    this.#detach(live);
    for (const l of live.listeners) l(job);
    live.listeners.clear();
    live.finish(job);
    if (job.callbackUrls.length) this.#sendCallbacks(job, job.callbackUrls);
  }

  #sendCallbacks(job: Job, urls: string[]): void {
    const body = jobView(job);
    for (const url of urls) {
      const p = deliverCallback(
        url,
        body,
        {
          allowPrivateNetwork: this.#o.allowPrivateNetwork,
          allowAddresses: this.#o.allowAddresses,
          timeoutMs: this.#o.callbackTimeoutSec * 1000,
          maxAttempts: this.#o.callbackMaxAttempts,
          backoffMs: this.#o.callbackBackoffMs,
          log: (m) => this.#o.log.warn(`job ${job.id}: ${m}`),
        },
        this.#stopping.signal,
      ).then((ok) => ok && this.#o.log.info(`job ${job.id}: callback delivered to ${describe(url)}`));
      this.#callbacks.add(p);
      void p.finally(() => this.#callbacks.delete(p));
    }
  }

  /**
   * Graceful stop: no new jobs, waiting requests answer now, the running render may finish within
   * `graceMs`; after that it is stopped and re-queued for the next start. Queued jobs stay queued.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.#draining = true;
    this.queue.pause();
    this.#stopping.abort();
    if (this.queue.running > 0) {
      this.#o.log.info(`waiting up to ${graceMs / 1000} s for ${this.queue.running} running render(s)`);
      const grace = new Promise<void>((r) => setTimeout(r, graceMs).unref());
      await Promise.race([this.queue.idle(), grace]);
      if (this.queue.running > 0) {
        for (const live of this.#live.values()) if (live.job.status === 'in-progress') live.abort.abort(new Shutdown());
        await Promise.race([this.queue.idle(), new Promise<void>((r) => setTimeout(r, 10_000).unref())]);
      }
    }
    await Promise.race([Promise.allSettled([...this.#callbacks]), new Promise<void>((r) => setTimeout(r, 2000).unref())]);
  }
}

/** Unfinished downloads (`*.part`) left by a process that died; returns how many were removed. */
function removePartFiles(dir: string): number {
  let removed = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) removed += removePartFiles(p);
    else if (e.name.endsWith('.part')) {
      rmSync(p, { force: true });
      removed++;
    }
  }
  return removed;
}

function toGenVideoError(e: unknown): GenVideoError {
  if (isGenVideoError(e)) return e;
  return new GenVideoError('RENDER_FAILED');
}

function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.slice(0, 100);
  }
}
