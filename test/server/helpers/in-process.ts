// The app and job service wired in-process around a fake pipeline (fast tests of the job logic).
import path from 'node:path';
import { createApp } from '../../../server/app';
import { loadConfig, type Config } from '../../../server/config';
import { JobService } from '../../../server/jobs/service';
import { openJobStore, type JobStore } from '../../../server/jobs/store';
import { silentLogger } from '../../../server/log';
import { createLocalStorage, type LocalStorage } from '../../../server/storage/local';
import type { FakePipeline } from './fake-pipeline';

export interface Harness {
  config: Config;
  jobs: JobService;
  store: JobStore;
  storage: LocalStorage;
  app: ReturnType<typeof createApp>;
  /** app.request with a JSON body. */
  post(p: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export function makeHarness(dataDir: string, fake: FakePipeline, env: Record<string, string> = {}, opts: { start?: boolean } = {}): Harness {
  const config = loadConfig({ DATA_DIR: dataDir, RENDER_CONCURRENCY: '1', URL_SIGNING_SECRET: 'test-secret-0123456789', ...env });
  const store = openJobStore(path.join(dataDir, 'jobs.sqlite'));
  const storage = createLocalStorage({ dir: path.join(dataDir, 'videos'), secret: config.urlSigningSecret!, baseUrl: () => 'http://videos.test' });
  const jobs = new JobService({
    store,
    storage,
    render: fake.render,
    load: fake.load,
    log: silentLogger,
    dataDir,
    allowPrivateNetwork: config.allowPrivateNetwork,
    renderConcurrency: config.renderConcurrency,
    queueLimit: config.queueLimit,
    renderTimeoutSec: config.renderTimeoutSec,
    videoUrlTtlSec: config.videoUrlTtlSec,
    callbackMaxAttempts: config.callbackMaxAttempts,
    callbackTimeoutSec: config.callbackTimeoutSec,
    settings: config.render,
    callbackBackoffMs: () => 50,
  });
  if (opts.start !== false) jobs.start();
  const app = createApp({ config, jobs, storage, log: silentLogger });
  return {
    config,
    jobs,
    store,
    storage,
    app,
    post: (p, body, headers = {}) =>
      Promise.resolve(app.request(p, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })),
    async close() {
      await jobs.shutdown(0);
      store.close();
    },
  };
}
