/**
 * `npm run worker`: a render worker of a farm (REDIS_URL). Same settings and set-up as `npm start`;
 * DATA_DIR holds its material cache and its work folder (DATA_DIR/tmp/<NODE_NAME>). Answers
 * GET /healthz on WORKER_PORT when set. SIGTERM/SIGINT: takes no new job, lets the running ones
 * finish within SHUTDOWN_GRACE_SECONDS, then puts them back in line for another worker.
 */
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { createBackend } from './backend';
import { configOrExit } from './config';
import { FarmStartError } from './farm/checks';
import { describeRedis } from './farm/redis';
import { createFarmWorker } from './farm/system';
import { consoleLogger as log } from './log';
import { onStopSignals } from './signals';
import { createStorage } from './storage';

const config = configOrExit((c) => (c.farm ? [] : ['REDIS_URL: a worker needs the farm\'s Redis (npm start alone renders in its own process)']));
const farm = config.farm!;
mkdirSync(config.dataDir, { recursive: true });
// Video URLs are signed by the API nodes; a worker only stores videos.
const storage = createStorage(config, () => config.publicBaseUrl ?? `http://localhost:${config.port}`);
const worker = createFarmWorker({ config, storage, backend: createBackend(config, log, farm.workerConcurrency), log });

let server: http.Server | undefined;
if (farm.workerPort !== undefined) {
  server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      void worker.metrics.registry.metrics().then((text) => res.writeHead(200, { 'content-type': worker.metrics.registry.contentType }).end(text));
      return;
    }
    if (req.method !== 'GET' || req.url !== '/healthz') return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
    void worker.health().then((h) => {
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: h.ok ? 'ok' : 'unavailable', role: 'worker', node: worker.nodeName, ...(h.problems.length ? { problems: h.problems } : {}), renders_running: h.rendersRunning }));
    });
  });
  server.listen(farm.workerPort, config.host);
}

worker.start().then(
  () =>
    log.info(
      `gen_video worker ${worker.nodeName} taking jobs from ${describeRedis(farm.redisUrl)} (${farm.workerConcurrency} render(s) at a time, data ${config.dataDir}, storage ${config.storage}` +
        `${server ? `, health on port ${(server.address() as { port: number } | null)?.port ?? farm.workerPort}` : ''})`,
    ),
  (e) => {
    if (e instanceof FarmStartError) {
      console.error(e.message);
      process.exit(2);
    }
    log.error('worker start-up failed', e);
    process.exit(1);
  },
);

onStopSignals(log, `worker stopping (no new jobs; running ones get ${config.shutdownGraceSec} s)`, async () => {
  server?.close();
  await worker.shutdown(config.shutdownGraceSec * 1000, log);
});
