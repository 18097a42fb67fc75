/**
 * The farm's queue on BullMQ: API nodes add job ids, workers take them. A job is one BullMQ job
 * named `render`; a long video becomes a flow of `chunk` jobs (children) and a `join` (their
 * parent), see chunks.ts. A worker keeps its lock renewed while it renders (the renders run in
 * child processes, so its event loop is free), and a worker that died is noticed by BullMQ's
 * stalled-job check and its job taken over by another.
 */
import { Queue, WaitingError, Worker, type Job as BullJob } from 'bullmq';
import { GenVideoError } from '../../src/errors';
import type { JobConsumer, JobQueue } from '../jobs/queue';
import { bullConnection, storeError } from './redis';

export const QUEUE_NAME = 'gen-video';

/** Locks live this long without renewal: a dead worker's job is free again after it. */
export const LOCK_MS = 20_000;
/** How often workers look for jobs whose lock expired. */
export const STALLED_CHECK_MS = 10_000;

export interface ChunkData {
  jobId: string;
  runId: string;
  index: number;
  range: [number, number];
  framesPerChunk: number;
  chunks: number;
}
export interface JoinData {
  jobId: string;
  runId: string;
  chunks: number;
  framesPerChunk: number;
}

export function createBullQueue(redisUrl: string, o: { limit: number }): JobQueue & { bull: Queue } {
  const bull = new Queue(QUEUE_NAME, { connection: bullConnection(redisUrl, { failFast: true }) });
  bull.on('error', () => undefined); // reported by health checks, not as crashes
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      throw storeError(e);
    }
  };
  const waiting = () => guard(() => bull.getWaitingCount());
  return {
    bull,
    async add(id, opts) {
      if (!opts?.force && (await waiting()) >= o.limit) throw new GenVideoError('BUSY', `排队任务已达上限(${o.limit})`);
      // The job id is BullMQ's too: adding one that is already there adds nothing.
      await guard(() => bull.add('render', { jobId: id }, { jobId: id, removeOnComplete: true, removeOnFail: true }));
    },
    async position(id) {
      const jobs = await guard(() => bull.getWaiting(0, Math.max(100, o.limit + 10)));
      // BullMQ lists the newest first; the line is taken from the other end.
      const ids = jobs.map((j) => j.id).reverse();
      const i = ids.indexOf(id);
      return i < 0 ? undefined : i + 1;
    },
    waiting,
    hasRoom: async () => (await waiting()) < o.limit,
    close: () => bull.close(),
  };
}

export interface FarmProcessors {
  chunk(data: ChunkData, signal: AbortSignal): Promise<void>;
  join(data: JoinData, signal: AbortSignal): Promise<void>;
  /** After a render job's handler returned: was the job put back in line (a shutdown)? */
  requeued(jobId: string): Promise<boolean>;
}

/** The worker side: renders, chunks and joins, `concurrency` at a time. */
export function createBullConsumer(redisUrl: string, o: { concurrency: number; processors: FarmProcessors; onError: (e: unknown) => void }): JobConsumer & { worker?: Worker } {
  const active = new Map<string, AbortController>();
  let worker: Worker | undefined;
  let stopping = false;
  return {
    get worker() {
      return worker;
    },
    start(handler) {
      worker = new Worker(
        QUEUE_NAME,
        async (job: BullJob, token?: string, bullSignal?: AbortSignal) => {
          const controller = new AbortController();
          const key = job.id ?? String(Math.random());
          active.set(key, controller);
          const stop = () => controller.abort(bullSignal?.reason);
          bullSignal?.addEventListener('abort', stop, { once: true });
          // A shutdown stopped it: back in line for another worker (or this one, next start).
          const backInLine = async () => {
            await job.moveToWait(token);
            throw new WaitingError();
          };
          try {
            if (job.name === 'chunk') return await o.processors.chunk(job.data as ChunkData, controller.signal);
            if (job.name === 'join') return await o.processors.join(job.data as JoinData, controller.signal);
            await handler((job.data as { jobId: string }).jobId, controller.signal);
            if (await o.processors.requeued((job.data as { jobId: string }).jobId)) await backInLine();
          } catch (e) {
            if (stopping && controller.signal.aborted && !(e instanceof WaitingError)) await backInLine();
            throw e;
          } finally {
            bullSignal?.removeEventListener('abort', stop);
            active.delete(key);
          }
        },
        {
          connection: bullConnection(redisUrl, { failFast: false }),
          concurrency: o.concurrency,
          lockDuration: LOCK_MS,
          stalledInterval: STALLED_CHECK_MS,
          maxStalledCount: 1,
        },
      );
      worker.on('error', o.onError);
    },
    get running() {
      return active.size;
    },
    async stop(graceMs, reason) {
      stopping = true;
      if (!worker) return;
      // Take nothing new, let the running ones finish within the grace, then stop them.
      await worker.pause(true).catch(() => undefined);
      const end = Date.now() + graceMs;
      while (active.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      for (const c of active.values()) c.abort(reason);
      const deadline = Date.now() + 15_000;
      while (active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await worker.close(true).catch(() => undefined);
    },
  };
}
