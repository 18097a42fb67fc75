/**
 * Job records in Redis, for a farm: every API node and worker reads and writes the same jobs.
 * A change that reads before it writes runs as an optimistic transaction (WATCH … MULTI/EXEC,
 * tried again when another node changed the keys meanwhile), so the job logic stays in TypeScript
 * and no record is ever half written.
 *
 *   gv:job:<id>            the job (JSON, without its callbacks)
 *   gv:cb:<id>             its callback URLs (set)
 *   gv:active:<draft>      the draft's queued or running job (one at a time)
 *   gv:latest:<draft>      the draft's most recent job
 *   gv:status:<status>     job ids by status, scored by creation time
 *   gv:ended               ended job ids, scored by end time (retention)
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AddCallbackResult, JobStore } from '../jobs/store';
import { isTerminal, type Job, type JobStatus } from '../jobs/types';
import { redisProblem, storeError } from './redis';

const STATUSES: JobStatus[] = ['queued', 'in-progress', 'completed', 'failed'];
const MAX_TRIES = 20;

export function createRedisJobStore(redis: Redis, prefix = 'gv:'): JobStore {
  const k = {
    job: (id: string) => `${prefix}job:${id}`,
    cb: (id: string) => `${prefix}cb:${id}`,
    // Draft keys are URLs of any length: hashed.
    active: (draftKey: string) => `${prefix}active:${hash(draftKey)}`,
    latest: (draftKey: string) => `${prefix}latest:${hash(draftKey)}`,
    status: (s: JobStatus) => `${prefix}status:${s}`,
    ended: `${prefix}ended`,
  };

  const parse = (text: string | null): Job | undefined => (text ? (JSON.parse(text) as Job) : undefined);
  const serialise = (job: Job) => JSON.stringify({ ...job, callbackUrls: [] });

  // WATCH belongs to the connection: this node's transactions take turns on it.
  let turn: Promise<unknown> = Promise.resolve();

  /** Runs `attempt` under WATCH of `keys` until its transaction goes through (or it returns without one). */
  function optimistic<T>(keys: string[], attempt: () => Promise<{ write?: (m: ReturnType<Redis['multi']>) => void; result: T }>): Promise<T> {
    const mine = turn.then(() => transaction(keys, attempt));
    turn = mine.catch(() => undefined);
    return mine;
  }

  async function transaction<T>(keys: string[], attempt: () => Promise<{ write?: (m: ReturnType<Redis['multi']>) => void; result: T }>): Promise<T> {
    for (let i = 0; i < MAX_TRIES; i++) {
      await redis.watch(...keys);
      let step: Awaited<ReturnType<typeof attempt>>;
      try {
        step = await attempt();
      } catch (e) {
        await redis.unwatch().catch(() => undefined);
        throw e;
      }
      const { write, result } = step;
      if (!write) {
        await redis.unwatch();
        return result;
      }
      const m = redis.multi();
      write(m);
      if ((await m.exec()) !== null) return result;
    }
    throw new Error(`Redis: ${keys[0]} kept changing under ${MAX_TRIES} tries`);
  }

  /** The writes that put a job in place: record, status index, draft pointers. */
  const place = (m: ReturnType<Redis['multi']>, job: Job, old: Job | undefined) => {
    m.set(k.job(job.id), serialise(job));
    if (old && old.status !== job.status) m.zrem(k.status(old.status), job.id);
    m.zadd(k.status(job.status), job.createdAt, job.id);
    if (isTerminal(job)) m.zadd(k.ended, job.completedAt, job.id);
  };

  const withCallbacks = async (job: Job | undefined): Promise<Job | undefined> =>
    job && { ...job, callbackUrls: await redis.smembers(k.cb(job.id)) };

  const guard = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (e) {
        throw storeError(e);
      }
    };

  const write = (given: Job, onlyIfOwner: boolean) =>
    optimistic([k.job(given.id), k.active(given.draftKey)], async () => {
      const old = parse(await redis.get(k.job(given.id)));
      if (!old) return { result: false };
      if (onlyIfOwner && given.runId && old.runId && old.runId !== given.runId) return { result: false };
      // Within one run progress only grows: the chunks of a video report it from several workers.
      const sameRun = onlyIfOwner && old.status === 'in-progress' && given.status === 'in-progress' && old.runId === given.runId;
      const job = sameRun && old.progress > given.progress ? { ...given, progress: old.progress, stage: old.stage } : given;
      const activeId = await redis.get(k.active(job.draftKey));
      return {
        result: true,
        write: (m) => {
          place(m, job, old);
          if (isTerminal(job) && activeId === job.id) m.del(k.active(job.draftKey));
          if (!isTerminal(job) && !activeId) m.set(k.active(job.draftKey), job.id);
        },
      };
    });

  return {
    claim: guard((job) =>
      optimistic<{ job: Job; created: boolean }>([k.active(job.draftKey)], async () => {
        const activeId = await redis.get(k.active(job.draftKey));
        const active = activeId ? parse(await redis.get(k.job(activeId))) : undefined;
        if (active && !isTerminal(active)) return { result: { job: (await withCallbacks(active))!, created: false } };
        return {
          result: { job, created: true },
          write: (m) => {
            place(m, job, undefined);
            m.set(k.active(job.draftKey), job.id);
            m.set(k.latest(job.draftKey), job.id);
          },
        };
      }),
    ),
    get: guard(async (id) => withCallbacks(parse(await redis.get(k.job(id))))),
    latestByKey: guard(async (draftKey) => {
      const id = await redis.get(k.latest(draftKey));
      return id ? withCallbacks(parse(await redis.get(k.job(id)))) : undefined;
    }),
    update: guard((job) => write(job, true)),
    takeOver: guard(async (job) => void (await write(job, false))),
    addCallback: guard((id, url, max) =>
      optimistic([k.job(id), k.cb(id)], async (): Promise<{ result: AddCallbackResult; write?: (m: ReturnType<Redis['multi']>) => void }> => {
        const job = parse(await redis.get(k.job(id)));
        if (!job) return { result: 'missing' };
        if (isTerminal(job)) return { result: 'ended' };
        if (await redis.sismember(k.cb(id), url)) return { result: 'known' };
        if ((await redis.scard(k.cb(id))) >= max) return { result: 'full' };
        return { result: 'added', write: (m) => m.sadd(k.cb(id), url) };
      }),
    ),
    byStatus: guard(async (...statuses) => {
      const ids = (await Promise.all(statuses.map((s) => redis.zrange(k.status(s), 0, -1, 'WITHSCORES')))).flatMap((flat) => {
        const pairs: [string, number][] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], Number(flat[i + 1])]);
        return pairs;
      });
      ids.sort((a, b) => a[1] - b[1]);
      const jobs = ids.length ? await redis.mget(...ids.map(([id]) => k.job(id))) : [];
      return (await Promise.all(jobs.map((text) => withCallbacks(parse(text))))).filter((j): j is Job => Boolean(j));
    }),
    count: guard(async (...statuses) => (await Promise.all(statuses.map((s) => redis.zcard(k.status(s))))).reduce((a, b) => a + b, 0)),
    endedBefore: guard(async (beforeMs, limit) => {
      const ids = await redis.zrangebyscore(k.ended, '-inf', `(${beforeMs}`, 'LIMIT', 0, limit);
      const jobs = ids.length ? await redis.mget(...ids.map((id) => k.job(id))) : [];
      return (await Promise.all(jobs.map((text) => withCallbacks(parse(text))))).filter((j): j is Job => Boolean(j));
    }),
    remove: guard(async (id) => {
      const job = parse(await redis.get(k.job(id)));
      const m = redis.multi().del(k.job(id), k.cb(id)).zrem(k.ended, id);
      for (const s of STATUSES) m.zrem(k.status(s), id);
      await m.exec();
      if (job) {
        // Pointers to it are dropped only if they still point to it.
        for (const key of [k.latest(job.draftKey), k.active(job.draftKey)]) {
          await optimistic([key], async () => ((await redis.get(key)) === id ? { result: undefined, write: (mm) => mm.del(key) } : { result: undefined }));
        }
      }
    }),
    problem: async () => redisProblem(redis),
    close: async () => undefined,
  };
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);
