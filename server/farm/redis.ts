/**
 * Connections to the farm's Redis (REDIS_URL). Job records and events fail fast while Redis is
 * away (a POST answers 503 at once, /healthz says why); ioredis reconnects on its own and the
 * service goes on when Redis is back.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { GenVideoError } from '../../src/errors';

/**
 * For job records: commands fail at once while disconnected; reconnects forever. A subscriber
 * keeps its subscription across reconnections (queued until connected, renewed by ioredis).
 */
export function connectRedis(url: string, name: string, o: { subscriber?: boolean } = {}): Redis {
  const redis = new Redis(url, {
    connectionName: `gen-video-${name}`,
    enableOfflineQueue: o.subscriber === true,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(2000, 100 * times),
    lazyConnect: false,
  });
  redis.on('error', () => undefined); // the status and problem() tell; no crash, no log flood
  return redis;
}

/** Options for BullMQ's own connections (blocking workers need maxRetriesPerRequest null). */
export function bullConnection(url: string, o: { failFast: boolean }): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number(u.pathname.replace(/^\//, '') || 0),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    enableOfflineQueue: !o.failFast,
    retryStrategy: (times: number) => Math.min(2000, 100 * times),
  };
}

/** A Redis URL for logs: without its password. */
export function describeRedis(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'redis';
  }
}

/** Why Redis cannot be used now, or null. */
export async function redisProblem(redis: Redis): Promise<string | null> {
  if (redis.status !== 'ready') return `Redis is ${redis.status === 'connecting' || redis.status === 'reconnecting' ? 'unreachable (reconnecting)' : redis.status}`;
  try {
    await Promise.race([redis.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000))]);
    return null;
  } catch (e) {
    return `Redis does not answer: ${(e as Error).message}`;
  }
}

/** A failed Redis command as the API says it: 503 服务繁忙, the queue is unreachable. */
export function storeError(e: unknown): unknown {
  if (e instanceof GenVideoError) return e;
  const message = (e as Error)?.message ?? String(e);
  if (/Stream isn't writeable|enableOfflineQueue|Connection is closed|ECONNREFUSED|ECONNRESET|max retries|MaxRetriesPerRequest|ETIMEDOUT|EPIPE/i.test(message)) {
    return new GenVideoError('BUSY', '任务队列(Redis)暂时不可用，请稍后重试');
  }
  return e;
}
