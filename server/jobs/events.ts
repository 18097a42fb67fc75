/**
 * Job changes as they happen (progress, stages, the end), from whoever runs a job to whoever waits
 * for it: a POST waiting for its video, an SSE stream. In one process an emitter; in a farm Redis
 * pub/sub (farm/redis-events.ts), so a worker's progress reaches every API node.
 */
import { EventEmitter } from 'node:events';
import type { Job } from './types';

export interface JobEvents {
  publish(job: Job): void;
  /** Returns the unsubscribe function. */
  subscribe(id: string, listener: (job: Job) => void): () => void;
  close(): Promise<void>;
}

export function createMemoryEvents(): JobEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (job) => void emitter.emit(job.id, job),
    subscribe(id, listener) {
      emitter.on(id, listener);
      return () => emitter.off(id, listener);
    },
    close: async () => void emitter.removeAllListeners(),
  };
}
