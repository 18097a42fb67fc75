/**
 * `npm run bench:farm`: the render farm measured on this machine — a redis-server, one API node
 * and workers pinned to one core each (taskset), all real processes, the reference media served
 * from 127.0.0.1 (see bench/README.md):
 *   throughput: 8 different 10 s drafts (the reference's first 10 s, each with its own captions)
 *               through 1 worker, then 2 workers: videos per minute and the speed-up;
 *   one long video: the 60 s reference on 1 worker, then split over 2 (FARM_SPLIT_SECONDS=30):
 *               wall time from POST to video_url, the join included.
 * Options: --json FILE, --drafts N (default 8), --seconds S (default 10), --skip-throughput, --skip-long.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getServeUrl } from '../src/render/bundle';
import { startRedis } from '../test/farm/redis-process';
import { serveDir } from '../test/helpers/http-server';
import { freePort } from '../test/server/helpers/server-process';
import { describeMachine } from './machine';
import { makeBenchMedia, SYSTEM_FFMPEG } from './media';
import { referencePlan } from './plan';
import { referenceDraft } from './reference-draft';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => console.error(`[bench:farm] ${line}`);

interface Proc {
  name: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function startNode(name: string, entry: string, env: Record<string, string>, core?: number, ready = /listening on port|taking jobs from/): Promise<Proc> {
  const args = ['--import', 'tsx', entry];
  const proc =
    core === undefined
      ? spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('taskset', ['-c', String(core), process.execPath, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out}`)), 60_000);
    const check = setInterval(() => {
      if (ready.test(out)) {
        clearTimeout(timer);
        clearInterval(check);
        resolve({
          name,
          proc,
          output: () => out,
          stop: () =>
            new Promise<void>((done) => {
              if (proc.exitCode !== null || proc.signalCode !== null) return done();
              proc.once('exit', () => done());
              proc.kill('SIGTERM');
              setTimeout(() => proc.kill('SIGKILL'), 30_000).unref();
            }),
        });
      }
    }, 50);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`${name} exited with ${code}:\n${out}`));
    });
  });
}

/** The draft cut to its first `seconds` (segments after dropped, the ones across shortened). */
function cutDraft(draft: Record<string, unknown>, seconds: number): Record<string, unknown> {
  const endUs = seconds * 1e6;
  const tracks = (draft.tracks as { segments: { target_timerange: { start: number; duration: number }; source_timerange?: { duration: number } | null; speed?: number }[] }[]).map((t) => ({
    ...t,
    segments: t.segments
      .filter((s) => s.target_timerange.start < endUs)
      .map((s) => {
        const duration = Math.min(s.target_timerange.duration, endUs - s.target_timerange.start);
        return {
          ...s,
          target_timerange: { ...s.target_timerange, duration },
          ...(s.source_timerange ? { source_timerange: { ...s.source_timerange, duration: Math.round(duration * (s.speed ?? 1)) } } : {}),
        };
      }),
  }));
  return { ...draft, tracks, duration: endUs };
}

/** The same draft with its captions' text changed, so each is a different draft with different stills. */
function recaption(draft: Record<string, unknown>, tag: string): Record<string, unknown> {
  const materials = draft.materials as { texts: { content: string }[] };
  return {
    ...draft,
    materials: {
      ...materials,
      texts: materials.texts.map((t) => {
        const c = JSON.parse(t.content) as { text: string; styles: { range: number[] }[] };
        const text = `${c.text} ${tag}`;
        return { ...t, content: JSON.stringify({ ...c, text, styles: c.styles.map((s) => ({ ...s, range: [0, [...text].length] })) }) };
      }),
    },
  };
}

const post = async (base: string, draftUrl: string) => {
  const res = await fetch(`${base}/v1/gen_video?wait=0`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ draft_url: draftUrl }) });
  const body = (await res.json()) as { task_id?: string; detail?: string };
  if (!body.task_id) throw new Error(`POST answered ${res.status}: ${JSON.stringify(body)}`);
  return body.task_id;
};

async function waitAll(base: string, ids: string[]): Promise<number[]> {
  const done = new Map<string, number>();
  for (;;) {
    for (const id of ids) {
      if (done.has(id)) continue;
      const job = (await (await fetch(`${base}/v1/gen_video/${id}`)).json()) as { status: string; detail?: string };
      if (job.status === 'failed') throw new Error(`job ${id} failed: ${job.detail}`);
      if (job.status === 'completed') done.set(id, performance.now());
    }
    if (done.size === ids.length) return ids.map((id) => done.get(id)!);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'string' }, drafts: { type: 'string' }, seconds: { type: 'string' }, 'skip-throughput': { type: 'boolean' }, 'skip-long': { type: 'boolean' } },
  });
  const draftCount = Number(values.drafts ?? 8);
  const shortSec = Number(values.seconds ?? 10);
  const cores = os.availableParallelism();
  if (cores < 2) throw new Error('the farm benchmark pins two workers to two cores: this machine has one');
  const machine = describeMachine(SYSTEM_FFMPEG);
  log(`machine: ${machine.cpu}, ${machine.cores} cores, load ${machine.loadAvg1m}`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gen-video-farm-bench-'));
  const procs: Proc[] = [];
  const redis = await startRedis();
  const plan = referencePlan();
  const mediaDir = path.join(tmp, 'media');
  mkdirSync(mediaDir, { recursive: true });
  log('making the reference media');
  await makeBenchMedia(plan, mediaDir, path.join(tmp, 'floor'));
  await getServeUrl();
  const media = await serveDir(mediaDir);
  const full = referenceDraft(plan, media.url);
  const draft = (name: string, json: Record<string, unknown>) => {
    writeFileSync(path.join(mediaDir, name), JSON.stringify(json));
    return media.url(name);
  };

  const dataDir = path.join(tmp, 'data');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const common = { REDIS_URL: redis.url, DATA_DIR: dataDir, ALLOW_PRIVATE_NETWORK: 'true', HOST: '127.0.0.1', QUEUE_LIMIT: '1000', SHUTDOWN_GRACE_SECONDS: '5' };
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine };
  try {
    procs.push(await startNode('api', 'server/main.ts', { ...common, PORT: String(port) }));
    const workers = async (n: number, env: Record<string, string>) => {
      const started: Proc[] = [];
      for (let i = 0; i < n; i++) started.push(await startNode(`worker-${i}`, 'server/worker.ts', { ...common, ...env, NODE_NAME: `bench-w${i}`, WORKER_CONCURRENCY: '1' }, i % cores));
      // Each warm: its render process up, the media in the cache.
      const warm = await Promise.all(started.map((_, i) => post(base, draft(`warm-${n}-${i}-${Date.now()}.json`, recaption(cutDraft(full, 1), `warm ${n}/${i}`)))));
      await waitAll(base, warm);
      return started;
    };

    if (!values['skip-throughput']) {
      const throughput: Record<string, unknown> = {};
      for (const n of [1, 2]) {
        const ws = await workers(n, { FARM_SPLIT_SECONDS: '3600' });
        const urls = Array.from({ length: draftCount }, (_, i) => draft(`short-${n}-${i}.json`, recaption(cutDraft(full, shortSec), `#${n}.${i}`)));
        log(`throughput: ${draftCount} × ${shortSec} s drafts on ${n} worker(s)`);
        const t0 = performance.now();
        const ids = [];
        for (const u of urls) ids.push(await post(base, u));
        const ends = await waitAll(base, ids);
        const wallSec = (Math.max(...ends) - t0) / 1000;
        throughput[`${n}`] = { wallSec: round(wallSec), videosPerMinute: round((draftCount / wallSec) * 60) };
        log(`  ${round(wallSec)} s: ${round((draftCount / wallSec) * 60)} videos/min`);
        for (const w of ws) await w.stop();
      }
      const one = throughput['1'] as { wallSec: number };
      const two = throughput['2'] as { wallSec: number };
      results.throughput = { drafts: draftCount, draftSec: shortSec, byWorkers: throughput, speedUp: round(one.wallSec / two.wallSec) };
    }

    if (!values['skip-long']) {
      const long: Record<string, unknown> = {};
      for (const [n, split] of [[1, '3600'], [2, '30']] as const) {
        const ws = await workers(n, { FARM_SPLIT_SECONDS: split, GEN_VIDEO_CHUNK_SECONDS: '30' });
        const u = draft(`long-${n}.json`, recaption(full, `long ${n}`));
        log(`one long video: ${plan.durationSec} s on ${n} worker(s)${n > 1 ? ', split in 30 s chunks' : ''}`);
        const t0 = performance.now();
        const [end] = await waitAll(base, [await post(base, u)]);
        const wallSec = (end - t0) / 1000;
        long[`${n}`] = { wallSec: round(wallSec), realtimeX: round(plan.durationSec / wallSec) };
        log(`  ${round(wallSec)} s (${round(plan.durationSec / wallSec)}× real time)`);
        for (const w of ws) await w.stop();
      }
      const one = long['1'] as { wallSec: number };
      const two = long['2'] as { wallSec: number };
      results.longVideo = { videoSec: plan.durationSec, byWorkers: long, ratio2to1: round(two.wallSec / one.wallSec) };
    }
  } finally {
    for (const p of procs) await p.stop();
    await media.close();
    await redis.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }

  console.log(JSON.stringify(results, null, 2));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
}

const round = (n: number) => Math.round(n * 100) / 100;

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
