/**
 * The two roles of a farm (REDIS_URL): API nodes take requests, record jobs in Redis and put them
 * in the BullMQ queue; workers take them, render (in child processes, like `npm start`), and write
 * progress and results back. Both run the same JobService / JobRunner as one machine does, over
 * the Redis implementations of the store, queue and events.
 */
import type { Config } from '../config';
import { cleanAtStart } from '../housekeeping';
import { retentionFor } from '../retention';
import { CallbackNotifier } from '../jobs/notifier';
import { JobRunner } from '../jobs/runner';
import { JobService } from '../jobs/service';
import { runnerSettings, type JobSystem } from '../jobs/system';
import type { Logger } from '../log';
import { createMetrics, type Metrics } from '../metrics';
import { createPipeline, loadFor } from '../pipeline';
import type { VideoStorage } from '../storage/types';
import type { RenderBackend } from '../../src/render/backend';
import type { LocalBackend } from '../../src/render/local-backend';
import { createBullConsumer, createBullQueue } from './bullmq-queue';
import { checkSharedDataDir, claimNodeName } from './checks';
import { createChunkedRender } from './chunks';
import { connectRedis, redisProblem } from './redis';
import { createRedisEvents } from './redis-events';
import { createRedisJobStore } from './redis-store';

const notifierFor = (config: Config, log: Logger, metrics: Metrics) =>
  new CallbackNotifier({
    allowPrivateNetwork: config.allowPrivateNetwork,
    allowAddresses: config.privateNetworkAllowlist,
    timeoutSec: config.callbackTimeoutSec,
    maxAttempts: config.callbackMaxAttempts,
    log,
    onOutcome: (ok) => metrics.callback(ok),
  });

/** Redis for records and events, connections of their own for pub/sub. */
function redisParts(config: Config, role: string) {
  const url = config.farm!.redisUrl;
  const redis = connectRedis(url, role);
  const subscriber = connectRedis(url, `${role}-events`, { subscriber: true });
  return { url, redis, subscriber, store: createRedisJobStore(redis), events: createRedisEvents(redis, subscriber) };
}

/** Until Redis answers (a node may start while Redis is still coming up). */
async function whenRedisReady(problem: () => Promise<string | null>, log: Logger): Promise<void> {
  let warned = false;
  const started = Date.now();
  for (;;) {
    const p = await problem();
    if (!p) return;
    // Connecting takes a moment: only a wait that lasts is worth a line.
    if (!warned && Date.now() - started > 2000) {
      log.warn(`${p}: waiting for it`);
      warned = true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `npm start` with REDIS_URL: an API node. */
export function createFarmApi(o: { config: Config; storage: VideoStorage; log: Logger }): JobSystem {
  const { config, log } = o;
  const { url, redis, subscriber, store, events } = redisParts(config, 'api');
  const queue = createBullQueue(url, { limit: config.queueLimit });
  const metrics = createMetrics('api');
  metrics.gauges(async () => ({ queueDepth: await queue.waiting(), rendersRunning: 0 }));
  const notifier = notifierFor(config, log, metrics);
  const load = loadFor(config.render);
  const service = new JobService({
    store,
    queue,
    events,
    storage: o.storage,
    load: (draftUrl) => load(draftUrl),
    notifier,
    log,
    videoUrlTtlSec: config.videoUrlTtlSec,
    maxCallbacks: config.maxCallbacksPerJob,
  });
  let stopRetention = () => undefined as void;
  return {
    service,
    store,
    events,
    metrics,
    async health() {
      const problem = await store.problem();
      return {
        ok: !problem,
        problems: problem ? [problem] : [],
        rendersRunning: 0,
        jobsWaiting: problem ? 0 : await queue.waiting().catch(() => 0),
      };
    },
    async start() {
      // A node starts even while Redis is away (it answers 503 until Redis is back), but gives
      // Redis a moment first; the farm's checks run once Redis answers.
      const ready = whenRedisReady(() => store.problem(), log).then(async () => {
        if (config.storage === 'local') await checkSharedDataDir(redis, config.dataDir);
      });
      ready.catch((e) => {
        log.error(`cannot work in this farm: ${(e as Error).message}`);
        process.exit(2);
      });
      void ready.then(() => (stopRetention = retentionFor(config, { log, jobs: { store, storage: o.storage }, cache: false })), () => undefined);
      await Promise.race([ready, new Promise((r) => setTimeout(r, 5000))]);
    },
    async shutdown() {
      stopRetention();
      service.drain();
      await notifier.flush(2000);
      await queue.close().catch(() => undefined);
      await events.close();
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}

/** `npm run worker`: takes jobs from the farm's queue and renders them. */
export interface FarmWorker extends Pick<JobSystem, 'health' | 'start' | 'shutdown' | 'metrics'> {
  nodeName: string;
  runner: JobRunner;
}

export function createFarmWorker(o: { config: Config; storage: VideoStorage; backend: RenderBackend; log: Logger }): FarmWorker {
  const { config, log } = o;
  const farm = config.farm!;
  const { url, redis, subscriber, store, events } = redisParts(config, `worker-${farm.nodeName}`);
  const metrics = createMetrics('worker');
  const notifier = notifierFor(config, log, metrics);
  const pipeline = createPipeline(config.render, o.backend, metrics);
  // Chunks need local render processes: with Remotion Lambda the whole video goes to Lambda.
  const local = o.backend.name === 'local' ? (o.backend as LocalBackend) : undefined;
  let runner!: JobRunner;
  const chunked = local
    ? createChunkedRender({
        redisUrl: url,
        redis,
        store,
        events,
        storage: o.storage,
        pipeline,
        backend: local,
        runner: () => runner,
        settings: config.render,
        splitSeconds: farm.splitSeconds,
        log,
      })
    : undefined;
  // A job a worker takes waits for nothing but its own render slot: no worker hoards jobs that
  // another, idle, could run (its downloads happen in its slot, bounded by DOWNLOAD_STALL_SECONDS).
  const consumer = createBullConsumer(url, {
    concurrency: farm.workerConcurrency,
    processors: chunked?.processors ?? {
      chunk: async () => undefined,
      join: async () => undefined,
      requeued: async (id) => (await store.get(id))?.status === 'queued',
    },
    onError: (e) => log.warn(`queue: ${(e as Error).message ?? e}`),
  });
  runner = new JobRunner({
    store,
    events,
    consumer,
    storage: o.storage,
    pipeline,
    notifier,
    log,
    ...runnerSettings(config),
    handOff: chunked?.handOff,
    metrics,
  });
  metrics.gauges(async () => ({ queueDepth: 0, rendersRunning: runner.running }));
  let releaseName: (() => void) | undefined;
  let stopRetention = () => undefined as void;
  return {
    nodeName: farm.nodeName,
    runner,
    metrics,
    async health() {
      const problem = await redisProblem(redis);
      return { ok: !problem, problems: problem ? [problem] : [], rendersRunning: runner.running, jobsWaiting: 0 };
    },
    async start() {
      await whenRedisReady(() => redisProblem(redis), log);
      releaseName = await claimNodeName(redis, farm.nodeName);
      if (config.storage === 'local') await checkSharedDataDir(redis, config.dataDir);
      // Its own leftovers only: DATA_DIR/tmp/<NODE_NAME>.
      await cleanAtStart({ workDir: config.render.workDir, cacheDir: config.render.cacheDir, log });
      runner.start();
      stopRetention = retentionFor(config, { log, cache: true });
    },
    async shutdown(graceMs) {
      stopRetention();
      if (runner.running > 0) log.info(`waiting up to ${graceMs / 1000} s for ${runner.running} running job(s)`);
      await runner.shutdown(graceMs);
      await chunked?.close();
      await notifier.flush(2000);
      releaseName?.();
      await events.close();
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}
