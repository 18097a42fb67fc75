/**
 * `npm start`: reads the settings, opens the job store, starts the HTTP server.
 * SIGTERM/SIGINT: stop accepting, let the running render finish (SHUTDOWN_GRACE_SECONDS) or
 * stop it and keep it queued for the next start.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { JobService } from './jobs/service';
import { openJobStore } from './jobs/store';
import { consoleLogger as log } from './log';
import { defaultLoad, defaultRender } from './pipeline';
import { createLocalStorage } from './storage/local';
import { createS3Storage } from './storage/s3';
import { loadOrCreateSecret } from './storage/signing';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

const config = readConfig();
mkdirSync(config.dataDir, { recursive: true });

let port = config.port;
const baseUrl = () => config.publicBaseUrl ?? `http://localhost:${port}`;
const storage =
  config.storage === 's3'
    ? createS3Storage(config.s3!)
    : createLocalStorage({
        dir: path.join(config.dataDir, 'videos'),
        secret: loadOrCreateSecret(config.dataDir, config.urlSigningSecret),
        baseUrl,
      });
const store = openJobStore(path.join(config.dataDir, 'jobs.sqlite'));
const jobs = new JobService({
  store,
  storage,
  render: defaultRender,
  load: defaultLoad,
  log,
  dataDir: config.dataDir,
  allowPrivateNetwork: config.allowPrivateNetwork,
  allowAddresses: config.privateNetworkAllowlist,
  renderConcurrency: config.renderConcurrency,
  renderEngine: config.renderEngine,
  queueLimit: config.queueLimit,
  renderTimeoutSec: config.renderTimeoutSec,
  videoUrlTtlSec: config.videoUrlTtlSec,
  callbackMaxAttempts: config.callbackMaxAttempts,
  callbackTimeoutSec: config.callbackTimeoutSec,
  settings: config.render,
});
const app = createApp({ config, jobs, storage, log });

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  port = info.port;
  jobs.start(); // recovery first: "listening" means ready
  log.info(
    `gen_video listening on port ${info.port} (host ${config.host}, data ${config.dataDir}, storage ${config.storage}, ` +
      `${config.renderConcurrency} render(s) at a time, queue ${config.queueLimit}, public ${baseUrl()})`,
  );
});
if (!config.publicBaseUrl && config.storage === 'local') {
  log.warn('PUBLIC_BASE_URL is not set: video URLs will say http://localhost:<port>; set it to the address clients use');
}
// Clients poll by re-POSTing every few seconds on kept-alive connections. Node closes idle ones
// after 5 s, which races with a client reusing one (ECONNRESET); keep them longer than any poll
// interval, as servers behind load balancers do.
if ('keepAliveTimeout' in server) {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
server.on('error', (e) => {
  log.error('server error', e);
  process.exit(1);
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) {
    log.warn(`${signal} again: exiting now`);
    process.exit(1);
  }
  stopping = true;
  log.info(`${signal}: shutting down (no new jobs; the running render gets ${config.shutdownGraceSec} s)`);
  server.close();
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  try {
    await jobs.shutdown(config.shutdownGraceSec * 1000);
  } catch (e) {
    log.error('shutdown', e);
  }
  if ('closeAllConnections' in server) server.closeAllConnections();
  store.close();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
process.on('unhandledRejection', (e) => log.error('unhandled rejection', e));
