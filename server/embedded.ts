/**
 * `npm start` without REDIS_URL: one process does everything — SQLite job records, an in-process
 * queue and events, the runner, renders in child processes of its own.
 */
import path from 'node:path';
import type { Config } from './config';
import { cleanAtStart } from './housekeeping';
import { createMemoryEvents } from './jobs/events';
import { createMemoryQueue } from './jobs/memory-queue';
import { CallbackNotifier } from './jobs/notifier';
import type { JobPipeline } from './jobs/pipeline';
import { JobRunner } from './jobs/runner';
import { JobService } from './jobs/service';
import { openSqliteJobStore } from './jobs/sqlite-store';
import { runnerSettings, type JobSystem } from './jobs/system';
import type { Logger } from './log';
import { createMetrics, type Metrics } from './metrics';
import { retentionFor } from './retention';
import type { VideoStorage } from './storage/types';

export function createEmbeddedJobs(o: {
  config: Config;
  storage: VideoStorage;
  pipeline: JobPipeline;
  log: Logger;
  metrics?: Metrics;
  /** For tests: callback back-off. */
  callbackBackoffMs?: (attempt: number) => number;
}): JobSystem {
  const { config, log } = o;
  const metrics = o.metrics ?? createMetrics('server');
  const store = openSqliteJobStore(path.join(config.dataDir, 'jobs.sqlite'));
  // Jobs taken at once: the render slots, plus those downloading ahead of them.
  const queue = createMemoryQueue({
    concurrency: config.renderConcurrency + config.downloadJobs,
    limit: config.queueLimit,
    onError: (id, e) => log.error(`job ${id}: unexpected runner error`, e),
  });
  const events = createMemoryEvents();
  const notifier = new CallbackNotifier({
    allowPrivateNetwork: config.allowPrivateNetwork,
    allowAddresses: config.privateNetworkAllowlist,
    timeoutSec: config.callbackTimeoutSec,
    maxAttempts: config.callbackMaxAttempts,
    backoffMs: o.callbackBackoffMs,
    log,
    onOutcome: (ok) => metrics.callback(ok),
  });
  const service = new JobService({
    store,
    queue,
    events,
    storage: o.storage,
    load: (url) => o.pipeline.load(url, {}),
    notifier,
    log,
    videoUrlTtlSec: config.videoUrlTtlSec,
    maxCallbacks: config.maxCallbacksPerJob,
  });
  const runner = new JobRunner({
    store,
    events,
    consumer: queue,
    storage: o.storage,
    pipeline: o.pipeline,
    notifier,
    log,
    ...runnerSettings(config),
    metrics,
  });
  metrics.gauges(async () => ({ queueDepth: await queue.waiting(), rendersRunning: runner.running }));
  let stopRetention = () => undefined as void;
  return {
    metrics,
    service,
    store,
    events,
    runner,
    async health() {
      return { ok: true, problems: [], rendersRunning: runner.running, jobsWaiting: await queue.waiting() };
    },
    async start() {
      await cleanAtStart({ workDir: config.render.workDir, cacheDir: config.render.cacheDir, log });
      await runner.recover(queue);
      runner.start();
      stopRetention = retentionFor(config, { log, jobs: { store, storage: o.storage }, cache: true });
    },
    async shutdown(graceMs) {
      stopRetention();
      service.drain();
      if (runner.running > 0) log.info(`waiting up to ${graceMs / 1000} s for ${runner.running} running job(s)`);
      await runner.shutdown(graceMs);
      await notifier.flush(2000);
      await queue.close();
      await events.close();
      await store.close();
    },
  };
}
