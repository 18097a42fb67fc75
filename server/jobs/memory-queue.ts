/** The queue of one process (npm start without REDIS_URL): FIFO, `concurrency` jobs at a time. */
import { GenVideoError } from '../../src/errors';
import type { JobConsumer, JobQueue } from './queue';

export function createMemoryQueue(o: { concurrency: number; limit: number; onError?: (id: string, e: unknown) => void }): JobQueue & JobConsumer {
  const waiting: string[] = [];
  const running = new Map<string, AbortController>();
  let handler: ((id: string, signal: AbortSignal) => Promise<void>) | undefined;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const pump = () => {
    while (handler && !stopped && running.size < o.concurrency && waiting.length > 0) {
      const id = waiting.shift()!;
      const controller = new AbortController();
      running.set(id, controller);
      void Promise.resolve()
        .then(() => handler!(id, controller.signal))
        .catch((e) => o.onError?.(id, e))
        .finally(() => {
          running.delete(id);
          if (running.size === 0) idleWaiters.splice(0).forEach((w) => w());
          pump();
        });
    }
  };
  const full = () => waiting.length >= o.limit && running.size >= o.concurrency;

  return {
    async add(id, opts) {
      if (!opts?.force && full()) throw new GenVideoError('BUSY', `排队任务已达上限(${o.limit})`);
      if (!waiting.includes(id) && !running.has(id)) waiting.push(id);
      pump();
    },
    async position(id) {
      const i = waiting.indexOf(id);
      return i < 0 ? undefined : i + 1;
    },
    waiting: async () => waiting.length,
    hasRoom: async () => !full(),
    start(h) {
      handler = h;
      pump();
    },
    get running() {
      return running.size;
    },
    async stop(graceMs, reason) {
      stopped = true;
      const idle = () => (running.size === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r)));
      await Promise.race([idle(), new Promise<void>((r) => setTimeout(r, graceMs).unref())]);
      if (running.size > 0) {
        for (const c of running.values()) c.abort(reason);
        await Promise.race([idle(), new Promise<void>((r) => setTimeout(r, 15_000).unref())]);
      }
    },
    async close() {
      stopped = true;
      waiting.length = 0;
    },
  };
}
