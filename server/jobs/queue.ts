/**
 * The one place that owns render concurrency and the bounded queue.
 * It knows nothing about drafts: it runs tasks, `concurrency` at a time, in FIFO order.
 */
import { GenVideoError } from '../../src/errors';

export interface RenderQueue {
  /** Queue a task; throws GenVideoError BUSY (503 服务繁忙) when `limit` tasks already wait. */
  enqueue(id: string, task: () => Promise<void>, opts?: { ignoreLimit?: boolean }): void;
  /** True when one more task would be accepted. */
  hasRoom(): boolean;
  /** 1-based place in the waiting line, undefined when running or unknown. */
  position(id: string): number | undefined;
  readonly running: number;
  readonly waiting: number;
  /** Start nothing new (shutdown). Waiting tasks stay queued and are dropped. */
  pause(): void;
  /** Resolves when no task runs. */
  idle(): Promise<void>;
}

export function createRenderQueue(opts: { concurrency: number; limit: number; onError?: (id: string, e: unknown) => void }): RenderQueue {
  const waiting: { id: string; task: () => Promise<void> }[] = [];
  let running = 0;
  let paused = false;
  let idleWaiters: (() => void)[] = [];

  const pump = () => {
    while (!paused && running < opts.concurrency && waiting.length > 0) {
      const next = waiting.shift()!;
      running++;
      void Promise.resolve()
        .then(next.task)
        .catch((e) => opts.onError?.(next.id, e))
        .finally(() => {
          running--;
          if (running === 0) {
            const w = idleWaiters;
            idleWaiters = [];
            w.forEach((f) => f());
          }
          pump();
        });
    }
  };

  return {
    enqueue(id, task, o) {
      if (!o?.ignoreLimit && waiting.length >= opts.limit && running >= opts.concurrency) {
        throw new GenVideoError('BUSY', `排队任务已达上限(${opts.limit})`);
      }
      waiting.push({ id, task });
      pump();
    },
    hasRoom: () => running < opts.concurrency || waiting.length < opts.limit,
    position(id) {
      const i = waiting.findIndex((w) => w.id === id);
      return i < 0 ? undefined : i + 1;
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
    pause() {
      paused = true;
    },
    idle: () => (running === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
  };
}
