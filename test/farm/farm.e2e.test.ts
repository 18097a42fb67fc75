// The farm on real processes: a redis-server of its own, two API nodes and two workers (npm start
// and npm run worker with REDIS_URL), one shared DATA_DIR (STORAGE=local). Renders are checked on
// the MP4; faults are real (kill -9 of a worker and of an API node, Redis stopped and started).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDraft } from '../../src/render/render-draft';
import { renderSettings } from '../../src/render/settings';
import { DraftBuilder } from '../helpers/draft-builder';
import { fingerprint, makePatternImage, makeTone, tempDir } from '../helpers/media';
import { probe } from '../helpers/probe';
import { busyDraft, copyClip, makeMedia, startFixtures, tinyDraft, type Fixtures } from '../server/helpers/fixtures';
import { freePort, jobOf, makeDataDir, removeDir, startServer, until, type ServerProcess } from '../server/helpers/server-process';
import { startRedis, type RedisProcess } from './redis-process';

let redis: RedisProcess;
let fx: Fixtures;
let media: ReturnType<typeof tempDir>;
let dataDir: string;
const apis: ServerProcess[] = [];
const workers = new Map<string, ServerProcess>();
const all: ServerProcess[] = [];

const farmEnv = () => ({
  REDIS_URL: redis.url,
  SHUTDOWN_GRACE_SECONDS: '2',
  // Small enough to split the test's 36 s draft the way a long video is split (the 20 s one is not).
  FARM_SPLIT_SECONDS: '30',
  GEN_VIDEO_CHUNK_SECONDS: '12',
});

const startApi = async (port?: number) => {
  const s = await startServer({ ...farmEnv(), PUBLIC_BASE_URL: 'http://farm.test' }, { dataDir, port });
  all.push(s);
  return s;
};

const startWorker = async (name: string) => {
  const s = await startServer({ ...farmEnv(), NODE_NAME: name, WORKER_PORT: String(await freePort()) }, { dataDir, entry: 'server/worker.ts', ready: /taking jobs from/ });
  all.push(s);
  workers.set(name, s);
  return s;
};

/** The local path of a video_url on the shared DATA_DIR. */
const videoFile = (videoUrl: string) => path.join(dataDir, 'videos', decodeURIComponent(new URL(videoUrl).pathname.split('/').pop()!));


/** A 36 s draft: a picture zooming across chunk edges, a caption, a tone — three 12 s chunks on the farm. */
const chunkedDraft = (url: (f: string) => string) => {
  const us = 36e6;
  const b = new DraftBuilder({ width: 160, height: 90, fps: 10 });
  const photo = b.video(url('pattern.png'), { width: 160, height: 90, durationUs: 0, photo: true });
  b.track('video', [
    {
      materialId: photo,
      startUs: 0,
      durationUs: us,
      keyframes: [{ property_type: 'KFTypeScaleX', keyframe_list: [{ time_offset: 0, values: [1] }, { time_offset: us, values: [1.8] }] }],
    },
  ]);
  b.track('text', [{ materialId: b.text('农场', { size: 14 }), startUs: 6e6, durationUs: 24e6, clip: { transform: { x: 0, y: -0.6 } } }]);
  b.track('audio', [{ materialId: b.audio(url('tone.m4a'), us), startUs: 0, durationUs: us, volume: 0.5 }]);
  return b.toJSON();
};


beforeAll(async () => {
  redis = await startRedis();
  media = tempDir('gen-video-farm-');
  makeMedia(media.dir);
  makePatternImage(path.join(media.dir, 'pattern.png'), 160, 90);
  makePatternImage(path.join(media.dir, 'big.png'), 640, 360);
  makeTone(path.join(media.dir, 'tone.m4a'), 440, 36);
  fx = await startFixtures(media.dir);
  dataDir = makeDataDir();
  apis.push(await startApi(), await startApi());
  await startWorker('w1');
  await startWorker('w2');
}, 180_000);

afterAll(async () => {
  for (const s of all) await s.kill();
  await fx?.close();
  await redis?.cleanup();
  media?.cleanup();
  if (dataDir) removeDir(dataDir);
});

describe('a farm of two API nodes and two workers', () => {
  it('renders; concurrent POSTs of one draft on both API nodes make one job and one video; any node answers for it, SSE included', async () => {
    const [a, b] = apis;
    const draftUrl = fx.setDraft('one.json', tinyDraft(fx.mediaUrl(copyClip(media.dir, 'one.mp4'))));
    // Two of them with a callback each (on different API nodes): each is POSTed once, by the worker that ends the job.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? a : b).post('/v1/gen_video', { draft_url: draftUrl, ...(i < 2 ? { callback_url: fx.callbackUrl(`farm-cb-${i}`) } : {}) }).then((r) => r.json()),
      ),
    );
    expect(new Set(answers.map((x) => x.task_id)).size).toBe(1);
    expect(new Set(answers.map((x) => x.video_url)).size).toBe(1);
    expect(answers[0]).toMatchObject({ message: '视频生成成功' });
    expect(fx.hits('/drafts/one.json')).toBe(1); // loaded once, by the worker that rendered it
    expect(fx.hits('/media/one.mp4')).toBe(1);
    const out = videoFile(answers[0].video_url);
    expect(probe(out)).toMatchObject({ width: 160, height: 90, fps: 10, videoCodec: 'h264', audioCodec: 'aac' });
    expect(probe(out).durationSec).toBeCloseTo(1, 1);
    // Served by either API node from the shared DATA_DIR.
    const served = await b.fetch(new URL(answers[0].video_url).pathname + new URL(answers[0].video_url).search);
    expect(served.status).toBe(200);
    expect(await jobOf(a, answers[0].task_id)).toMatchObject({ status: 'completed', video_url: answers[0].video_url });
    for (const name of ['farm-cb-0', 'farm-cb-1']) {
      const [hit] = await fx.waitForCallbacks(name, 1);
      expect(hit.body).toMatchObject({ task_id: answers[0].task_id, status: 'completed' });
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(fx.callbacks('farm-cb-0').length + fx.callbacks('farm-cb-1').length).toBe(2);

    // SSE on the other API node: the worker's stages and progress, then the end.
    const held = fx.setDraft('held.json', tinyDraft(fx.heldUrl(copyClip(media.dir, 'held.mp4'))));
    const { task_id: id } = await (await a.post('/v1/gen_video?wait=0', { draft_url: held })).json();
    const stream = await b.fetch(`/v1/gen_video/${id}/events`);
    const reading = stream.text();
    await until(() => jobOf(b, id), (j) => j.stage === '素材下载', 20_000, 'downloading');
    fx.release('held.mp4');
    const events = (await reading)
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)));
    expect(events.map((e) => e.stage)).toEqual(expect.arrayContaining(['素材下载', '上传完成']));
    expect(events.at(-1)).toMatchObject({ status: 'completed', progress: 1 });
    expect((await (await a.post('/v1/gen_video_status', { draft_url: held })).json()).status).toBe('completed');
  }, 120_000);

  it('splits a long video into chunks drawn by both workers, and the result equals a single-machine render frame for frame and in sound', async () => {
    const [a] = apis;
    const draftUrl = fx.setDraft('chunked.json', chunkedDraft((f) => fx.mediaUrl(f)));
    const res = await (await a.post('/v1/gen_video', { draft_url: draftUrl })).json();
    expect(res).toMatchObject({ message: '视频生成成功' });
    const logs = [...workers.values()].map((w) => w.output()).join('\n');
    expect(logs).toMatch(new RegExp(`job ${res.task_id}: 3 chunks of 12 s for the farm`));
    // Both workers drew chunks.
    for (const w of workers.values()) expect(w.output()).toMatch(new RegExp(`job ${res.task_id}: chunk \\d/3`));
    // The join removed the chunks.
    expect(readdirSync(path.join(dataDir, 'videos')).filter((f) => f.includes('.chunk-'))).toEqual([]);

    // The same draft on one machine, drawn in the same 12 s ranges.
    const single = tempDir('gen-video-farm-single-');
    try {
      const local = await renderDraft({
        source: draftUrl,
        outPath: path.join(single.dir, 'single.mp4'),
        settings: renderSettings({ dataDir: single.dir, allowPrivateNetwork: true, chunkSeconds: 12 }),
      });
      const farm = fingerprint(videoFile(res.video_url));
      const one = fingerprint(local.outPath);
      expect(farm.frames).toHaveLength(360);
      expect(farm.frames).toEqual(one.frames);
      expect(farm.sound).toBe(one.sound);
    } finally {
      single.cleanup();
    }
  }, 180_000);

  it('a worker killed mid-render: another takes the job over and completes it once, with one video; an API node killed loses nothing', async () => {
    const [a, b] = apis;
    const draftUrl = fx.setDraft('busy.json', busyDraft(fx.mediaUrl('big.png'), 28, '不会丢', 0));
    const { task_id: id } = await (await a.post('/v1/gen_video?wait=0', { draft_url: draftUrl })).json();
    // Any moment of the render (28 s, under FARM_SPLIT_SECONDS: one worker draws it all, for a few seconds).
    await until(() => jobOf(b, id), (j) => j.stage === '视频渲染', 120_000, 'rendering');
    const [victimName, victim] = [...workers.entries()].find(([, w]) => w.output().includes(`job ${id}: started (try 1)`))!;
    const survivorName = [...workers.keys()].find((n) => n !== victimName)!;
    const killedAt = Date.now();
    await victim.kill();
    // The API node the client started with goes too: the other one answers.
    await a.kill();
    const done = await until(() => jobOf(b, id), (j) => j.status === 'completed' || j.status === 'failed', 120_000, 'the takeover');
    expect(done).toMatchObject({ status: 'completed' });
    expect(Date.now() - killedAt).toBeLessThan(90_000);
    const survivor = workers.get(survivorName)!;
    expect(survivor.output()).toMatch(new RegExp(`job ${id}: started \\(try 2\\)`));
    expect(survivor.output().match(new RegExp(`job ${id}: completed`, 'g'))).toHaveLength(1);
    expect(readdirSync(path.join(dataDir, 'videos')).filter((f) => f.startsWith(id))).toEqual([`${id}.mp4`]);
    expect(probe(videoFile(done.video_url)).durationSec).toBeCloseTo(28, 0);

    // The killed worker, started again, clears what it left in its own work folder.
    const left = path.join(dataDir, 'tmp', victimName);
    mkdirSync(left, { recursive: true });
    writeFileSync(path.join(left, 'left-by-the-crash.mp4'), 'partial');
    const again = await startWorker(victimName);
    expect(existsSync(path.join(left, 'left-by-the-crash.mp4'))).toBe(false);
    expect(again.output()).not.toMatch(/NODE_NAME .* in use/);
    apis[0] = await startApi();
  }, 240_000);

  it('Redis away: POST answers 503 and /healthz says why; when it is back, waiting and finished jobs are all there and run', async () => {
    const [a] = apis;
    // Finished before the outage.
    const before = await (await a.post('/v1/gen_video', { draft_url: fx.setDraft('before.json', tinyDraft(fx.mediaUrl(copyClip(media.dir, 'before.mp4')))) })).json();
    expect(before).toMatchObject({ message: '视频生成成功' });
    // No worker takes jobs for a while: one waits in line.
    for (const w of workers.values()) expect(await w.stop('SIGTERM', 30_000)).toBe(0);
    workers.clear();
    const waiting = await (await a.post('/v1/gen_video?wait=0', { draft_url: fx.setDraft('waiting.json', tinyDraft(fx.mediaUrl(copyClip(media.dir, 'waiting.mp4')))) })).json();
    expect(waiting).toMatchObject({ status: 'queued' });

    await redis.stop();
    const refused = await a.post('/v1/gen_video', { draft_url: fx.setDraft('outage.json', tinyDraft(fx.mediaUrl(copyClip(media.dir, 'outage.mp4')))) });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect((await refused.json()).detail).toMatch(/^服务繁忙: 任务队列\(Redis\)暂时不可用/);
    const health = await a.fetch('/healthz');
    expect(health.status).toBe(503);
    expect((await health.json()).problems.join(' ')).toMatch(/Redis/);

    await redis.start();
    await until(async () => (await a.fetch('/healthz')).status, (s) => s === 200, 30_000, 'healthy again');
    expect(await jobOf(a, before.task_id)).toMatchObject({ status: 'completed', video_url: before.video_url });
    expect(await jobOf(a, waiting.task_id)).toMatchObject({ status: 'queued' });
    await startWorker('w3');
    expect(await until(() => jobOf(a, waiting.task_id), (j) => j.status === 'completed', 60_000, 'the waiting job')).toMatchObject({ status: 'completed' });
  }, 240_000);

  it('API keys, the queue limit and the error table hold in farm mode', async () => {
    const api = await startServer({ ...farmEnv(), API_KEYS: 'farm-key', QUEUE_LIMIT: '1' }, { dataDir });
    all.push(api);
    const key = { authorization: 'Bearer farm-key' };
    expect((await api.post('/v1/gen_video', { draft_url: fx.setDraft('k.json', tinyDraft(fx.mediaUrl('red.mp4'))) })).status).toBe(401);
    const missing = await api.post('/v1/gen_video', { draft_url: `${fx.baseUrl}/drafts/nowhere.json` }, key);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: '草稿不存在' });
    // Every worker busy with a held material, one job waiting: the next is 503.
    const held = (n: string) => fx.setDraft(`${n}.json`, tinyDraft(fx.heldUrl(copyClip(media.dir, `${n}.mp4`))));
    const names = Array.from({ length: workers.size }, (_, i) => `busy${i}`);
    for (const n of names) {
      const { task_id } = await (await api.post('/v1/gen_video?wait=0', { draft_url: held(n) }, key)).json();
      await until(() => jobOf(apis[0], task_id), (j) => j.status === 'in-progress', 20_000, 'taken');
    }
    expect((await api.post('/v1/gen_video?wait=0', { draft_url: held('waits') }, key)).status).toBe(202);
    const busy = await api.post('/v1/gen_video?wait=0', { draft_url: held('refused') }, key);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('30');
    for (const n of [...names, 'waits']) fx.release(`${n}.mp4`);
    await api.stop();
  }, 120_000);

  it('refuses to start where it cannot work', async () => {
    const run = async (env: Record<string, string>, entry: string, dir = dataDir) => {
      const port = await freePort();
      try {
        const s = await startServer({ ...farmEnv(), ...env }, { dataDir: dir, port, entry, ready: /taking jobs from|listening on port/, timeoutMs: 30_000 });
        all.push(s);
        return 'started';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(await run({ REDIS_URL: '' }, 'server/worker.ts')).toMatch(/exited with 2[\s\S]*REDIS_URL: a worker needs the farm's Redis/);
    const otherDir = makeDataDir();
    try {
      expect(await run({ NODE_NAME: 'elsewhere' }, 'server/worker.ts', otherDir)).toMatch(/exited with 2[\s\S]*STORAGE=local in a farm needs one DATA_DIR shared by every node/);
    } finally {
      removeDir(otherDir);
    }
    expect(await run({ NODE_NAME: 'w3' }, 'server/worker.ts')).toMatch(/exited with 2[\s\S]*NODE_NAME w3 is in use by a running worker/);
  }, 120_000);
});
