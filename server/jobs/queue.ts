/**
 * The line of jobs waiting to be run. It carries job ids, not work: whoever takes an id reads the
 * job from the store (so a queue can live in another process, see farm/bullmq-queue.ts).
 */
export interface JobQueue {
  /** Adds a job to the end of the line; BUSY (503 服务繁忙) when `limit` jobs wait already, unless `force` (a restart re-queuing its own). */
  add(id: string, o?: { force?: boolean }): Promise<void>;
  /** 1-based place among the waiting, undefined when not waiting. */
  position(id: string): Promise<number | undefined>;
  /** Jobs waiting to be taken. */
  waiting(): Promise<number>;
  /** True when one more job would be accepted. */
  hasRoom(): Promise<boolean>;
  close(): Promise<void>;
}

/** The taking side: runs `handler` for each job id, `concurrency` at a time. */
export interface JobConsumer {
  start(handler: (id: string, signal: AbortSignal) => Promise<void>): void;
  /** Jobs being run now. */
  readonly running: number;
  /**
   * Stops taking jobs; waits up to `graceMs` for the running ones, then aborts them with `reason`
   * and waits for them to return. Waiting jobs stay queued.
   */
  stop(graceMs: number, reason: unknown): Promise<void>;
}
