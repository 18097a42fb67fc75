/**
 * The API side of jobs: one job per draft at a time (a repeated POST joins it), a finished draft
 * of the same content answers its video again, waiting for a job and following it. It renders
 * nothing: it records jobs in the store, puts their ids in the queue and listens to their events
 * (whoever runs them: this process's runner, or a worker of the farm).
 */
import { randomUUID } from 'node:crypto';
import { GenVideoError } from '../../src/errors';
import { describeUrl } from '../../src/net/fetch-error';
import type { Logger } from '../log';
import type { VideoStorage } from '../storage/types';
import type { JobEvents } from './events';
import { contentHash, draftKey } from './key';
import type { CallbackNotifier } from './notifier';
import type { LoadedDraft } from './pipeline';
import type { JobQueue } from './queue';
import { failed, newJob } from './state';
import type { JobStore } from './store';
import { isTerminal, type CompletedJob, type Job } from './types';

export interface JobServiceOptions {
  store: JobStore;
  queue: JobQueue;
  events: JobEvents;
  storage: VideoStorage;
  /** The draft JSON, to tell whether a finished draft changed. */
  load: (draftUrl: string) => Promise<LoadedDraft>;
  notifier: CallbackNotifier;
  log: Logger;
  videoUrlTtlSec: number;
  /** Callback URLs one job keeps; more are refused. */
  maxCallbacks: number;
}

/** How often a waiting request reads its job again, in case an event was lost. */
const RECHECK_MS = 3000;

/** What a submission did with its callback_url. */
export type CallbackOutcome = 'added' | 'known' | 'full' | 'sent-now';

export class JobService {
  readonly #o: JobServiceOptions;
  /** Drafts being checked right now (a finished one re-loaded), so concurrent POSTs share the answer. */
  readonly #resolving = new Map<string, Promise<Job>>();
  readonly #stopping = new AbortController();
  #draining = false;

  constructor(opts: JobServiceOptions) {
    this.#o = opts;
  }

  /** Fires when the server begins to shut down: long waits answer at once. */
  get stoppingSignal(): AbortSignal {
    return this.#stopping.signal;
  }

  /** No new jobs from now on (POST answers 503); waiting requests answer now. */
  drain(): void {
    this.#draining = true;
    this.#stopping.abort();
  }

  /** The job of a draft: joins the running one, reuses a finished one of the same content, or starts one. */
  async submit(draftUrl: string, opts: { callbackUrl?: string } = {}): Promise<{ job: Job; callback?: CallbackOutcome }> {
    if (this.#draining) throw new GenVideoError('BUSY', '服务正在重启');
    const key = draftKey(draftUrl);
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
    const job = await pending;
    const callback = opts.callbackUrl ? await this.#addCallback(job, opts.callbackUrl) : undefined;
    return { job: await this.#fresh(job), ...(callback ? { callback } : {}) };
  }

  async #resolve(key: string, draftUrl: string): Promise<Job> {
    const last = await this.#o.store.latestByKey(key);
    if (last && !isTerminal(last)) return last;
    if (last?.status === 'completed') {
      // Cheap: the draft JSON only. Same content → same video.
      const loaded = await this.#o.load(draftUrl);
      const hash = contentHash(loaded.json ?? loaded.draft);
      if (hash === last.contentHash && (await this.#o.storage.exists(last.videoKey))) return last;
      this.#o.log.info(`draft ${describeUrl(key)}: ${hash === last.contentHash ? 'video missing' : 'content changed'}, rendering again`);
    }
    return this.#create(key, draftUrl);
  }

  async #create(key: string, draftUrl: string): Promise<Job> {
    if (!(await this.#o.queue.hasRoom())) throw new GenVideoError('BUSY');
    const { job, created } = await this.#o.store.claim(newJob({ id: randomUUID(), draftUrl, draftKey: key, now: Date.now() }));
    if (!created) return job;
    try {
      await this.#o.queue.add(job.id);
    } catch (e) {
      // The line filled up meanwhile: the record must not hold the draft's place.
      const err = e instanceof GenVideoError ? e : new GenVideoError('BUSY');
      await this.#o.store.update(failed(job, err, Date.now()));
      throw err;
    }
    this.#o.log.info(`job ${job.id}: queued for ${describeUrl(key)}`);
    return job;
  }

  async #addCallback(job: Job, url: string): Promise<CallbackOutcome> {
    const result = await this.#o.store.addCallback(job.id, url, this.#o.maxCallbacks);
    if (result === 'added' || result === 'known' || result === 'full') return result;
    // Already finished (a re-POST of a rendered draft): tell the callback now.
    const ended = await this.get(job.id);
    if (ended && isTerminal(ended)) this.#o.notifier.send(ended, [url]);
    return 'sent-now';
  }

  async get(id: string): Promise<Job | undefined> {
    const job = await this.#o.store.get(id);
    return job && this.#fresh(job);
  }

  /** The latest job of a draft (any state). */
  async latestForDraft(draftUrl: string): Promise<Job | undefined> {
    return this.#o.store.latestByKey(draftKey(draftUrl));
  }

  /** Jobs queued or running (capcut-mate's gen_video_active_count). */
  activeCount(): Promise<number> {
    return this.#o.store.count('queued', 'in-progress');
  }

  queuePosition(id: string): Promise<number | undefined> {
    return this.#o.queue.position(id);
  }

  /** Resolves when the job ends, `timeoutMs` passes, `signal` fires or the server stops: the job as it is then. */
  async waitFor(id: string, timeoutMs: number, signal?: AbortSignal): Promise<Job | undefined> {
    const now = await this.#o.store.get(id);
    if (!now || isTerminal(now) || timeoutMs <= 0) return now && this.#fresh(now);
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const unsubscribe = this.#o.events.subscribe(id, (job) => isTerminal(job) && wake());
    const signals = [this.#stopping.signal, ...(signal ? [signal] : [])];
    const timer = setTimeout(wake, timeoutMs);
    // Events are best effort across processes: the store is read again now and then.
    const recheck = setInterval(() => {
      this.#o.store.get(id).then((j) => j && isTerminal(j) && wake(), () => undefined);
    }, RECHECK_MS);
    for (const s of signals) {
      if (s.aborted) wake();
      else s.addEventListener('abort', wake, { once: true });
    }
    try {
      // It may have ended between the read above and the subscription.
      const again = await this.#o.store.get(id);
      if (again && isTerminal(again)) wake();
      await woken;
    } finally {
      clearTimeout(timer);
      clearInterval(recheck);
      unsubscribe();
      for (const s of signals) s.removeEventListener('abort', wake);
    }
    return this.get(id);
  }

  /** Live updates of a job; called with its current state first. Returns the unsubscribe function. */
  async subscribe(id: string, listener: (job: Job) => void): Promise<() => void> {
    // Subscribed before the first read, so the end cannot slip between the two; what arrives
    // meanwhile is passed on after the current state.
    let early: Job[] | undefined = [];
    const unsubscribe = this.#o.events.subscribe(id, (job) => (early ? early.push(job) : listener(job)));
    const job = await this.get(id);
    if (job) listener(job);
    const buffered = early;
    early = undefined;
    for (const j of buffered) listener(j);
    return unsubscribe;
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
    await this.#o.store.update(updated);
    return updated;
  }
}
