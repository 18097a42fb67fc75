// The app and the jobs wired in-process around a fake pipeline (fast tests of the job logic).
import path from 'node:path';
import { createApp } from '../../../server/app';
import { loadConfig, type Config } from '../../../server/config';
import { createEmbeddedJobs } from '../../../server/embedded';
import type { JobService } from '../../../server/jobs/service';
import type { JobStore } from '../../../server/jobs/store';
import type { JobSystem } from '../../../server/jobs/system';
import { silentLogger } from '../../../server/log';
import { createLocalStorage, type LocalStorage } from '../../../server/storage/local';
import type { FakePipeline } from './fake-pipeline';

export interface Harness {
  config: Config;
  system: JobSystem;
  jobs: JobService;
  store: JobStore;
  storage: LocalStorage;
  app: ReturnType<typeof createApp>;
  /** app.request with a JSON body. */
  post(p: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function makeHarness(dataDir: string, fake: FakePipeline, env: Record<string, string> = {}, opts: { start?: boolean } = {}): Promise<Harness> {
  const config = loadConfig({ DATA_DIR: dataDir, RENDER_CONCURRENCY: '1', URL_SIGNING_SECRET: 'test-secret-0123456789', ...env });
  const storage = createLocalStorage({ dir: path.join(dataDir, 'videos'), secret: config.urlSigningSecret!, baseUrl: () => 'http://videos.test' });
  const system = createEmbeddedJobs({ config, storage, pipeline: fake, log: silentLogger, callbackBackoffMs: () => 50 });
  if (opts.start !== false) await system.start();
  const app = createApp({ config, jobs: system.service, health: () => system.health(), metrics: system.metrics, storage, log: silentLogger });
  let closed = false;
  return {
    config,
    system,
    jobs: system.service,
    store: system.store,
    storage,
    app,
    post: (p, body, headers = {}) =>
      Promise.resolve(app.request(p, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })),
    async close() {
      if (closed) return;
      closed = true;
      await system.shutdown(0, silentLogger);
    },
  };
}
