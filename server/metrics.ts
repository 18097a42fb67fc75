/**
 * GET /metrics in Prometheus' text format (prom-client): what an operator watches. Each process
 * (a server, an API node, a worker) keeps and exposes its own numbers; a farm's are summed by
 * Prometheus across its nodes.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** A job ended (status completed|failed; error code of the table for failures). */
  jobEnded(status: 'completed' | 'failed', errorCode?: string): void;
  /** A render's wall time, by engine. */
  rendered(engine: string, seconds: number): void;
  /** A material download: ok or failed, and its bytes. */
  downloaded(ok: boolean, bytes: number): void;
  /** A callback delivery, after its retries. */
  callback(ok: boolean): void;
  /** Read on every scrape. */
  gauges(read: () => Promise<{ queueDepth: number; rendersRunning: number }>): void;
}

export function createMetrics(role: 'server' | 'api' | 'worker'): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry, prefix: 'gen_video_' });
  const jobs = new Counter({ name: 'gen_video_jobs_total', help: 'Jobs ended, by status and error code', labelNames: ['status', 'error_code'], registers: [registry] });
  const renders = new Histogram({
    name: 'gen_video_render_seconds',
    help: 'Wall time of a job from its start to its video, by engine',
    labelNames: ['engine'],
    buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const downloads = new Counter({ name: 'gen_video_material_downloads_total', help: 'Material downloads, by result', labelNames: ['result'], registers: [registry] });
  const bytes = new Counter({ name: 'gen_video_material_download_bytes_total', help: 'Bytes of materials downloaded', registers: [registry] });
  const callbacks = new Counter({ name: 'gen_video_callbacks_total', help: 'Callback deliveries (after retries), by result', labelNames: ['result'], registers: [registry] });
  let read: (() => Promise<{ queueDepth: number; rendersRunning: number }>) | undefined;
  let last = { queueDepth: 0, rendersRunning: 0 };
  const refresh = async () => {
    if (read) last = await read().catch(() => last);
  };
  new Gauge({
    name: 'gen_video_queue_depth',
    help: 'Jobs waiting for a worker or a render slot',
    registers: [registry],
    async collect() {
      await refresh();
      this.set(last.queueDepth);
    },
  });
  new Gauge({
    name: 'gen_video_renders_running',
    help: 'Jobs being run by this process',
    registers: [registry],
    collect() {
      this.set(last.rendersRunning);
    },
  });
  return {
    registry,
    jobEnded: (status, errorCode) => jobs.inc({ status, error_code: errorCode ?? '' }),
    rendered: (engine, seconds) => renders.observe({ engine }, seconds),
    downloaded: (ok, n) => {
      downloads.inc({ result: ok ? 'ok' : 'failed' });
      if (n > 0) bytes.inc(n);
    },
    callback: (ok) => callbacks.inc({ result: ok ? 'delivered' : 'failed' }),
    gauges: (r) => {
      read = r;
    },
  };
}
