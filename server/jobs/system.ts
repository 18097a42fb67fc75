/**
 * The job parts of one deployment, wired: `npm start` alone runs them all in its own process
 * (SQLite, an in-process queue and events, renders in child processes); a farm splits them
 * between API nodes and workers (server/farm). Routes only see the service and the health.
 */
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { JobEvents } from './events';
import type { JobRunner } from './runner';
import type { JobService } from './service';
import type { JobStore } from './store';

export interface Health {
  /** False: the service cannot take jobs now (the reasons are in `problems`). */
  ok: boolean;
  problems: string[];
  /** Renders running on this process (API nodes of a farm run none). */
  rendersRunning: number;
  /** Jobs waiting in line. */
  jobsWaiting: number;
}

export interface JobSystem {
  service: JobService;
  store: JobStore;
  events: JobEvents;
  /** Absent on a farm's API nodes. */
  runner?: JobRunner;
  metrics: Metrics;
  health(): Promise<Health>;
  /** Recovery and the runner, after the HTTP server listens. */
  start(): Promise<void>;
  /** No new jobs; running renders get `graceMs`; callbacks a little more; then everything closes. */
  shutdown(graceMs: number, log: Logger): Promise<void>;
}

/** The runner's settings, the same wherever it runs (one process, a farm's worker). */
export const runnerSettings = (config: Config) => ({
  workDir: config.render.workDir,
  renderTimeoutSec: config.renderTimeoutSec,
  videoUrlTtlSec: config.videoUrlTtlSec,
  downloadSlots: config.downloadJobs,
  s3Output: config.s3 ? (key: string) => ({ bucket: config.s3!.bucket, key: `${config.s3!.keyPrefix}${key}` }) : undefined,
});
