/**
 * `npm start`: reads the settings, wires the jobs (everything in this process without REDIS_URL;
 * an API node of a farm with it, rendering nothing), starts the HTTP server.
 * SIGTERM/SIGINT: stop accepting, let the running renders finish (SHUTDOWN_GRACE_SECONDS) or stop
 * them and keep them queued for the next start.
 */
import { mkdirSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { configOrExit } from './config';
import { createBackend } from './backend';
import { createEmbeddedJobs } from './embedded';
import { createFarmApi } from './farm/system';
import { describeRedis } from './farm/redis';
import { consoleLogger as log } from './log';
import { createMetrics } from './metrics';
import { createPipeline } from './pipeline';
import { onStopSignals } from './signals';
import { createStorage } from './storage';

const config = configOrExit();
mkdirSync(config.dataDir, { recursive: true });

let port = config.port;
const baseUrl = () => config.publicBaseUrl ?? `http://localhost:${port}`;
const storage = createStorage(config, baseUrl);
const metrics = createMetrics('server');
const jobs = config.farm
  ? createFarmApi({ config, storage, log })
  : createEmbeddedJobs({ config, storage, pipeline: createPipeline(config.render, createBackend(config, log, config.renderConcurrency), metrics), log, metrics });
const app = createApp({ config, jobs: jobs.service, health: () => jobs.health(), metrics: jobs.metrics, storage, log });

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  port = info.port;
  // Recovery first: "listening" in the log means ready.
  jobs.start().then(
    () =>
      log.info(
        `gen_video listening on port ${info.port} (host ${config.host}, data ${config.dataDir}, storage ${config.storage}, ` +
          `${config.farm ? `farm API node on ${describeRedis(config.farm.redisUrl)}` : `${config.renderConcurrency} render(s) at a time`}, queue ${config.queueLimit}, public ${baseUrl()})`,
      ),
    (e) => {
      log.error('start-up failed', e);
      process.exit(1);
    },
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

onStopSignals(log, `shutting down (no new jobs; running renders get ${config.shutdownGraceSec} s)`, async () => {
  server.close();
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  await jobs.shutdown(config.shutdownGraceSec * 1000, log);
  if ('closeAllConnections' in server) server.closeAllConnections();
});
