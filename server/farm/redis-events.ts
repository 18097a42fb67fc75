/**
 * Job events over Redis pub/sub: a worker's progress reaches every API node (their POSTs waiting
 * for a video, their SSE streams). Best effort: the store stays the truth, and waiters read it
 * again now and then (an event lost while Redis was away costs a few seconds, not an answer).
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { JobEvents } from '../jobs/events';
import type { Job } from '../jobs/types';

export function createRedisEvents(publisher: Redis, subscriber: Redis, prefix = 'gv:'): JobEvents {
  const channel = (id: string) => `${prefix}events:${id}`;
  const local = new EventEmitter();
  local.setMaxListeners(0);
  subscriber.on('pmessage', (_pattern, ch: string, message: string) => {
    try {
      local.emit(ch, JSON.parse(message) as Job);
    } catch {
      // not one of ours
    }
  });
  // Subscribed again after every reconnection (ioredis does it for us).
  void subscriber.psubscribe(`${prefix}events:*`).catch(() => undefined);
  return {
    publish(job) {
      publisher.publish(channel(job.id), JSON.stringify(job)).catch(() => undefined);
    },
    subscribe(id, listener) {
      local.on(channel(id), listener);
      return () => local.off(channel(id), listener);
    },
    async close() {
      local.removeAllListeners();
    },
  };
}
