// The job logic and the HTTP layer in-process, around a fake pipeline: fast and deterministic.
// (The e2e tests repeat the important flows against the real server process and real renders.)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenVideoError } from '../../src/errors';
import type { CompletedJob, Job } from '../../server/jobs/types';
import { fakePipeline, type FakePipeline } from './helpers/fake-pipeline';
import { makeHarness, type Harness } from './helpers/in-process';
import { silentLogger } from '../../server/log';

const URL_A = 'https://drafts.example.com/a.json';
const URL_B = 'https://drafts.example.com/b.json';
const draft = (n = 1) => ({ canvas_config: { width: 160, height: 90 }, fps: 10, tracks: [{ type: 'video', n }], materials: {} });

let dir: string;
let fake: FakePipeline;
let h: Harness;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gen-video-jobs-'));
  fake = fakePipeline();
  fake.drafts.set(URL_A, draft(1));
  fake.drafts.set(URL_B, draft(2));
  h = await makeHarness(dir, fake);
});
afterEach(async () => {
  fake.release();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('dedupe', () => {
  it('N concurrent submits of one draft make exactly one job and one render', async () => {
    const links = [URL_A, `https://ts.fyshark.com/#/cozeToJianyin?drafId=${URL_A}`, `${URL_A}#frag`];
    const jobs = await Promise.all(Array.from({ length: 10 }, (_, i) => h.jobs.submit(links[i % links.length]).then((r) => r.job)));
    expect(new Set(jobs.map((j) => j.id)).size).toBe(1);
    const done = await Promise.all(jobs.map((j) => h.jobs.waitFor(j.id, 5000)));
    expect(done.every((j) => j?.status === 'completed')).toBe(true);
    expect(new Set(done.map((j) => (j as CompletedJob).videoUrl)).size).toBe(1);
    expect(fake.renders).toHaveLength(1);
  });

  it('N concurrent HTTP POSTs while a finished job is re-checked still share one answer', async () => {
    const first = (await h.jobs.submit(URL_A)).job;
    await h.jobs.waitFor(first.id, 5000);
    fake.drafts.set(URL_A, draft(99)); // changed: every concurrent POST must join the one new render
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.post('/v1/gen_video', { draft_url: URL_A })));
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(new Set(bodies.map((b) => b.task_id)).size).toBe(1);
    expect(bodies[0].task_id).not.toBe(first.id);
    expect(fake.renders).toHaveLength(2);
  });

  it('a finished draft with the same content answers the same video_url without rendering', async () => {
    const a = await h.post('/v1/gen_video', { draft_url: URL_A });
    const b = await h.post('/v1/gen_video', { draft_url: `https://ts.fyshark.com/#/cozeToJianyin?drafId=${encodeURIComponent(URL_A)}` });
    expect(a.status).toBe(200);
    expect(await b.json()).toEqual(await a.json());
    expect(fake.renders).toHaveLength(1);
    expect(fake.loads).toHaveLength(2); // the re-check loads the draft again (cheap) to compare content
  });

  it('renders again when the draft content changed, or after a failure', async () => {
    const first = (await (await h.post('/v1/gen_video', { draft_url: URL_A })).json()) as { video_url: string };
    fake.drafts.set(URL_A, draft(5));
    const second = (await (await h.post('/v1/gen_video', { draft_url: URL_A })).json()) as { video_url: string };
    expect(second.video_url).not.toBe(first.video_url);
    expect(fake.renders).toHaveLength(2);

    fake.failWith = new GenVideoError('ENCODE_FAILED', 'x264 died');
    const failed = await h.post('/v1/gen_video', { draft_url: URL_B });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ detail: '编码失败: x264 died' });
    fake.failWith = undefined;
    const retried = await h.post('/v1/gen_video', { draft_url: URL_B });
    expect(retried.status).toBe(200);
    expect(fake.renders).toHaveLength(4);
  });

  it('re-signs a video_url that is about to expire, and hands everyone the same new one', async () => {
    const first = (await h.jobs.submit(URL_A)).job;
    const done = (await h.jobs.waitFor(first.id, 5000)) as CompletedJob;
    await h.store.update({ ...done, videoUrlExpiresAt: Date.now() - 1000 });
    const again = ((await h.jobs.submit(URL_A)).job) as CompletedJob;
    expect(again.id).toBe(done.id);
    expect(again.videoUrlExpiresAt).toBeGreaterThan(Date.now());
    expect((((await h.jobs.submit(URL_A)).job) as CompletedJob).videoUrl).toBe(again.videoUrl);
  });
});

describe('waiting, async answers and progress', () => {
  it('?wait=0 and Prefer: respond-async answer 202 at once; the job keeps going', async () => {
    fake.hold = true;
    const res = await h.post('/v1/gen_video?wait=0', { draft_url: URL_A });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body).toMatchObject({ message: '视频生成中', task_id: expect.any(String), progress: expect.any(Number) });
    expect(['queued', 'in-progress']).toContain(body.status);
    expect(body.video_url).toBeUndefined();
    expect(res.headers.get('location')).toBe(`/v1/gen_video/${body.task_id}`);

    const pref = await h.post('/v1/gen_video', { draft_url: URL_A }, { Prefer: 'respond-async' });
    expect(pref.status).toBe(202);
    expect((await pref.json()).task_id).toBe(body.task_id);

    const waited = Date.now();
    const short = await h.post('/v1/gen_video?wait=0.3', { draft_url: URL_A });
    expect(short.status).toBe(202);
    expect(Date.now() - waited).toBeGreaterThanOrEqual(250);

    const status = await (await h.post('/v1/gen_video_status', { draft_url: URL_A })).json();
    expect(status).toMatchObject({ draft_url: URL_A, status: 'processing', video_url: '', error_message: '', completed_at: null });
    expect(status.progress).toBeGreaterThanOrEqual(0);
    expect(status.progress).toBeLessThanOrEqual(100);
    expect(status.stage).toBe('素材下载');

    fake.release();
    await h.jobs.waitFor(body.task_id, 5000);
    const job = await (await h.app.request(`/v1/gen_video/${body.task_id}`)).json();
    expect(job).toMatchObject({ status: 'completed', stage: '上传完成', progress: 1, warnings: [{ code: 'test-warning' }] });
    const done = await (await h.post('/v1/gen_video_status', { draft_url: URL_A })).json();
    expect(done).toMatchObject({ status: 'completed', progress: 100, video_url: job.video_url, error_message: '' });
    expect(Date.parse(done.completed_at)).toBeGreaterThanOrEqual(Date.parse(done.started_at));
  });

  it('reports the stages in order through subscribe (the SSE source)', async () => {
    fake.hold = true;
    const job = (await h.jobs.submit(URL_A)).job;
    const seen: Job[] = [];
    await h.jobs.subscribe(job.id, (j) => seen.push(j));
    fake.release();
    await h.jobs.waitFor(job.id, 5000);
    const stages = seen.map((j) => j.stage).filter((s, i, a) => s !== a[i - 1]);
    expect(stages[0]).toBe('parse');
    expect(stages).toEqual(expect.arrayContaining(['download', 'render', 'encode', 'store', 'done']));
    expect(seen.at(-1)?.status).toBe('completed');
    const progress = seen.map((j) => j.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('a client that goes away does not cancel the job', async () => {
    fake.hold = true;
    const ac = new AbortController();
    const pending = h.app.request('/v1/gen_video', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ draft_url: URL_A }),
      signal: ac.signal,
    });
    await until(() => fake.renders.length === 1);
    ac.abort();
    await Promise.resolve(pending).catch(() => {});
    fake.release();
    const job = (await h.jobs.latestForDraft(URL_A))!;
    expect((await h.jobs.waitFor(job.id, 5000))?.status).toBe('completed');
  });
});

describe('limits', () => {
  it('stops a job over the time limit: 504 处理超时, even when the pipeline ignores the signal', async () => {
    await h.close();
    h = await makeHarness(dir, fake, { RENDER_TIMEOUT_SECONDS: '1' });
    fake.hold = true;
    fake.ignoreSignal = true;
    const res = await h.post('/v1/gen_video', { draft_url: URL_A });
    expect(res.status).toBe(504);
    expect((await res.json()).detail).toMatch(/^处理超时/);
  });

  it('answers 503 服务繁忙 with Retry-After when the queue is full (joining is always allowed)', async () => {
    await h.close();
    // One render slot and one download slot take two jobs; one more may wait.
    h = await makeHarness(dir, fake, { QUEUE_LIMIT: '1', DOWNLOAD_JOBS: '1' });
    fake.hold = true;
    const C = 'https://drafts.example.com/c.json';
    const D = 'https://drafts.example.com/d.json';
    fake.drafts.set(C, draft(3));
    fake.drafts.set(D, draft(4));
    expect((await h.post('/v1/gen_video?wait=0', { draft_url: URL_A })).status).toBe(202); // runs
    expect((await h.post('/v1/gen_video?wait=0', { draft_url: URL_B })).status).toBe(202); // taken
    await until(() => fake.renders.length === 2);
    const waiting = await h.post('/v1/gen_video?wait=0', { draft_url: C });
    expect(waiting.status).toBe(202);
    expect(await (await h.app.request(`/v1/gen_video/${(await waiting.json()).task_id}`)).json()).toMatchObject({ status: 'queued', queue_position: 1 });
    const busy = await h.post('/v1/gen_video?wait=0', { draft_url: D });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await busy.json()).detail).toMatch(/^服务繁忙/);
    expect((await h.post('/v1/gen_video?wait=0', { draft_url: C })).status).toBe(202);
    // The refused draft holds no place: it is accepted once there is room.
    expect(await h.jobs.latestForDraft(D)).toBeUndefined();
  });
});

describe('errors become {detail} with the table status', () => {
  const cases: [GenVideoError | Error, number, string][] = [
    [new GenVideoError('RENDER_FAILED', 'frame 3'), 500, '视频渲染失败: frame 3'],
    [new GenVideoError('AUDIO_FAILED'), 500, '音频处理失败'],
    [new GenVideoError('ENCODE_FAILED'), 500, '编码失败'],
    [new GenVideoError('MATERIAL_UNREACHABLE', 'a.mp4'), 400, '素材无法访问: a.mp4'],
    [new GenVideoError('DRAFT_EMPTY'), 400, '草稿内容为空'],
    [new TypeError('secret internals at /srv/x.ts:1'), 500, '视频渲染失败'],
  ];
  for (const [err, status, detail] of cases) {
    it(`${err instanceof GenVideoError ? err.code : err.name} → ${status} ${detail}`, async () => {
      fake.failWith = err;
      const res = await h.post('/v1/gen_video', { draft_url: URL_A });
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ detail });
    });
  }

  it('validates the body with the table messages, and never answers 500 to a bad request', async () => {
    const send = (body: string | undefined, type?: string) =>
      h.app.request('/v1/gen_video', { method: 'POST', headers: type ? { 'content-type': type } : {}, body });
    const expectations: [Response | Promise<Response>, number, string | RegExp][] = [
      [send('{}', 'application/json'), 400, 'draft_url是必填项'],
      [send(undefined), 400, 'draft_url是必填项'],
      [send('{"draft_url": ""}', 'application/json'), 400, 'draft_url是必填项'],
      [send('{"draft_url": null}', 'application/json'), 400, 'draft_url是必填项'],
      [send('{"draft_url": 42}', 'application/json'), 400, 'draft_url格式无效'],
      [send('{"draft_url": "not a url"}', 'application/json'), 400, 'draft_url格式无效'],
      [send('{"draft_url": "ftp://x/y.json"}', 'application/json'), 400, 'draft_url格式无效'],
      [send('{"draft_url": "javascript:alert(1)"}', 'application/json'), 400, 'draft_url格式无效'],
      [send('{"draft_url": "https://ts.fyshark.com/#/cozeToJianyin?drafId=nope"}', 'application/json'), 400, /^draft_url格式无效/],
      [send('{"draft_url": "https://a.example/x.json", "callback_url": "mailto:x"}', 'application/json'), 400, 'callback_url格式无效'],
      [send('{bad json', 'application/json'), 400, /^请求体不是有效的JSON/],
      [send('[1,2]', 'application/json'), 400, /^请求体必须是JSON对象/],
      [send('draft_url=https://a.example/x.json', 'application/x-www-form-urlencoded'), 400, /^请求体必须是JSON/],
      [send('{"draft_url": "https://a.example/x.json"}', 'text/plain'), 400, /^请求体必须是JSON/],
    ];
    for (const [res, status, detail] of expectations) {
      const r = await res;
      expect(r.status).toBe(status);
      expect((await r.json()).detail).toMatch(detail);
    }
    const wait = await h.post('/v1/gen_video?wait=abc', { draft_url: URL_A });
    expect(wait.status).toBe(400);
    expect(fake.renders).toHaveLength(0);
  });

  it('answers 404 for unknown tasks and drafts without a job', async () => {
    const res = await h.app.request('/v1/gen_video/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: '任务不存在' });
    const st = await h.post('/v1/gen_video_status', { draft_url: 'https://drafts.example.com/none.json' });
    expect(st.status).toBe(404);
    expect((await h.post('/v1/gen_video_status', {})).status).toBe(400);
  });

  it('gen_video_status shows failures in capcut-mate terms', async () => {
    fake.drafts.set(URL_B, new GenVideoError('DRAFT_NOT_FOUND'));
    expect((await h.post('/v1/gen_video', { draft_url: URL_B })).status).toBe(404);
    const st = await (await h.post('/v1/gen_video_status', { draft_url: URL_B })).json();
    expect(st).toMatchObject({ status: 'failed', error_message: '草稿不存在', video_url: '' });
  });
});

describe('restart', () => {
  it('re-queues interrupted jobs once, fails them the second time, keeps finished ones and removes orphans', async () => {
    const done = (await h.jobs.submit(URL_A)).job;
    await h.jobs.waitFor(done.id, 5000);
    await h.close();

    // What a crash leaves behind: jobs marked running, temp files, a half download.
    const { openSqliteJobStore } = await import('../../server/jobs/sqlite-store');
    const store = openSqliteJobStore(path.join(dir, 'jobs.sqlite'));
    const base = {
      draftUrl: URL_B,
      draftKey: URL_B,
      callbackUrls: [],
      stage: 'render' as const,
      progress: 0.5,
      createdAt: Date.now(),
      startedAt: Date.now(),
      warnings: [],
    };
    await store.claim({ ...base, id: 'crashed-once', status: 'in-progress' as const, attempts: 1 } as never);
    await store.claim({
      ...base,
      id: 'crashed-twice',
      draftUrl: 'https://drafts.example.com/c.json',
      draftKey: 'https://drafts.example.com/c.json',
      status: 'in-progress' as const,
      attempts: 2,
    } as never);
    await store.close();
    writeFileSync(path.join(dir, 'tmp', 'crashed-once.mp4'), 'partial');
    mkdirSync(path.join(dir, 'cache', 'materials'), { recursive: true });
    writeFileSync(path.join(dir, 'cache', 'materials', '.clip.mp4.abc123.part'), 'half');

    fake = fakePipeline();
    fake.drafts.set(URL_B, draft(2));
    fake.hold = true;
    h = await makeHarness(dir, fake);
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    expect(existsSync(path.join(dir, 'cache', 'materials', '.clip.mp4.abc123.part'))).toBe(false);

    expect(await h.jobs.get(done.id)).toMatchObject({ status: 'completed' });
    expect(await h.jobs.get('crashed-twice')).toMatchObject({ status: 'failed', httpStatus: 500, detail: expect.stringMatching(/^视频渲染失败: 服务重启/) });
    await until(() => fake.renders.length === 1);
    expect(await h.jobs.get('crashed-once')).toMatchObject({ status: 'in-progress', attempts: 2 });
    // A re-POST joins the re-queued job.
    expect(((await h.jobs.submit(URL_B)).job).id).toBe('crashed-once');
    fake.release();
    expect(await h.jobs.waitFor('crashed-once', 5000)).toMatchObject({ status: 'completed' });
  });

  it('a graceful shutdown answers waiting requests and keeps the interrupted job for the next start', async () => {
    fake.hold = true;
    const pending = h.post('/v1/gen_video', { draft_url: URL_A });
    await until(() => fake.renders.length === 1);
    const id = (await h.jobs.latestForDraft(URL_A))!.id;
    const stopped = h.system.shutdown(100, silentLogger);
    const res = await pending;
    expect(res.status).toBe(202);
    await stopped;
    expect((await h.post('/v1/gen_video', { draft_url: URL_B })).status).toBe(503);

    fake = fakePipeline();
    fake.drafts.set(URL_A, draft(1));
    h = await makeHarness(dir, fake);
    expect(await h.jobs.waitFor(id, 5000)).toMatchObject({ status: 'completed', attempts: 1 });
  });
});

describe('request size', () => {
  it('answers 413 to oversized bodies', async () => {
    const res = await h.post('/v1/gen_video', { draft_url: URL_A, padding: 'x'.repeat(100_000) });
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toMatch(/^请求体过大/);
  });
});

describe('/async/v1', () => {
  it('is the same API answering 202 at once unless ?wait= says otherwise', async () => {
    fake.hold = true;
    const res = await h.post('/async/v1/gen_video', { draft_url: URL_A });
    expect(res.status).toBe(202);
    const { task_id } = await res.json();
    expect((await (await h.post('/async/v1/gen_video_status', { draft_url: URL_A })).json()).status).toBe('processing');
    fake.release();
    const done = await h.post('/async/v1/gen_video?wait=5', { draft_url: URL_A });
    expect(done.status).toBe(200);
    expect((await done.json()).task_id).toBe(task_id);
    expect((await h.app.request(`/async/v1/gen_video/${task_id}`)).status).toBe(200);
  });
});
