// What operators and capcut-mate clients see, in-process around the fake pipeline: /metrics,
// capcut-mate's current paths, the material cache's size limit (real files).
import { linkSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepCache, sweepJobs } from '../../server/retention';
import { silentLogger } from '../../server/log';
import type { CompletedJob } from '../../server/jobs/types';
import { fakePipeline, type FakePipeline } from './helpers/fake-pipeline';
import { makeHarness, type Harness } from './helpers/in-process';

const URL_A = 'https://drafts.example.com/a.json';
const draft = () => ({ canvas_config: { width: 160, height: 90 }, fps: 10, tracks: [{ type: 'video' }], materials: {} });

let dir: string;
let fake: FakePipeline;
let h: Harness;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gen-video-ops-'));
  fake = fakePipeline();
  fake.drafts.set(URL_A, draft());
  h = await makeHarness(dir, fake);
});
afterEach(async () => {
  fake.release();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('capcut-mate paths (/openapi/capcut-mate/v1)', () => {
  const base = '/openapi/capcut-mate/v1';
  it('gen_video submits and answers at once; gen_video_status follows it; active_count counts pending + processing', async () => {
    fake.hold = true;
    const res = await h.post(`${base}/gen_video`, { draft_url: URL_A });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ message: '视频生成任务已提交，请使用draft_url查询进度' });
    expect(await (await h.app.request(`${base}/gen_video_active_count`)).json()).toEqual({ count: 1 });
    expect(await (await h.post(`${base}/gen_video_status`, { draft_url: URL_A })).json()).toMatchObject({ status: 'processing', draft_url: URL_A });
    fake.release();
    await h.jobs.waitFor((await h.jobs.latestForDraft(URL_A))!.id, 5000);
    expect(await (await h.post(`${base}/gen_video_status`, { draft_url: URL_A })).json()).toMatchObject({ status: 'completed', progress: 100 });
    expect(await (await h.app.request(`${base}/gen_video_active_count`)).json()).toEqual({ count: 0 });
  });

  it('an unknown draft is 404 视频生成任务未找到; a bad body is 400 with the table message', async () => {
    const unknown = await h.post(`${base}/gen_video_status`, { draft_url: 'https://drafts.example.com/none.json' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: '视频生成任务未找到' });
    const bad = await h.post(`${base}/gen_video`, {});
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ detail: 'draft_url是必填项' });
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await h.app.request('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([`${base}/gen_video`, `${base}/gen_video_status`, `${base}/gen_video_active_count`]));
  });
});

describe('/metrics', () => {
  it('counts jobs by status and error, render time by engine, queue depth, in Prometheus text', async () => {
    await h.post('/v1/gen_video', { draft_url: URL_A });
    fake.failWith = Object.assign(new Error('boom'), {});
    fake.drafts.set('https://drafts.example.com/b.json', draft());
    await h.post('/v1/gen_video', { draft_url: 'https://drafts.example.com/b.json' });
    const res = await h.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/gen_video_jobs_total\{status="completed",error_code="",role="server"\} 1/);
    expect(text).toMatch(/gen_video_jobs_total\{status="failed",error_code="RENDER_FAILED",role="server"\} 1/);
    expect(text).toMatch(/gen_video_render_seconds_count\{role="server",engine="remotion"\} 1/);
    expect(text).toMatch(/gen_video_queue_depth\{role="server"\} 0/);
    expect(text).toMatch(/gen_video_process_resident_memory_bytes/);
  });
});

describe('retention', () => {
  it('removes ended jobs and their videos once old; the next POST renders again', async () => {
    const done = (await h.post('/v1/gen_video', { draft_url: URL_A }).then((r) => r.json())) as { task_id: string };
    const job = (await h.store.get(done.task_id)) as CompletedJob;
    expect(existsSync(h.storage.pathOf(job.videoKey))).toBe(true);
    expect(await sweepJobs({ store: h.store, storage: h.storage, retentionMs: 86_400_000 }, silentLogger)).toBe(0);
    expect(await sweepJobs({ store: h.store, storage: h.storage, retentionMs: 86_400_000 }, silentLogger, Date.now() + 2 * 86_400_000)).toBe(1);
    expect(await h.store.get(done.task_id)).toBeUndefined();
    expect(existsSync(h.storage.pathOf(job.videoKey))).toBe(false);
    expect((await h.app.request(`/v1/gen_video/${done.task_id}`)).status).toBe(404);
    const again = await (await h.post('/v1/gen_video', { draft_url: URL_A })).json();
    expect(again.task_id).not.toBe(done.task_id);
    expect(fake.renders).toHaveLength(2);
  });

  it('keeps the material cache under its size, least recently used first, sparing files in use', () => {
    const cache = path.join(dir, 'cache-test');
    mkdirSync(path.join(cache, 'materials'), { recursive: true });
    const now = Date.now();
    const file = (name: string, kb: number, ageMin: number) => {
      const p = path.join(cache, 'materials', name);
      writeFileSync(p, Buffer.alloc(kb * 1024));
      const t = new Date(now - ageMin * 60_000);
      utimesSync(p, t, t);
      return p;
    };
    const oldest = file('a.mp4', 400, 300);
    const old = file('b.mp4', 400, 200);
    const recent = file('c.mp4', 400, 100);
    const inUse = file('d.mp4', 400, 1);
    const part = file('.e.mp4.x.part', 400, 500);
    const result = sweepCache({ dir: cache, maxBytes: 1000 * 1024, inUseMs: 30 * 60_000 }, now);
    expect(result).toEqual({ removed: 2, bytes: 800 * 1024 });
    expect([oldest, old].some(existsSync)).toBe(false);
    expect(statSync(recent).size).toBe(400 * 1024);
    expect(existsSync(inUse)).toBe(true);
    expect(existsSync(part)).toBe(true); // unfinished downloads are the start-up clean-up's
  });

  it('counts one copy once however many URLs name it, and frees it with its last name', () => {
    const cache = path.join(dir, 'cache-links');
    mkdirSync(path.join(cache, 'content'), { recursive: true });
    const now = Date.now();
    const old = new Date(now - 300 * 60_000);
    const copy = path.join(cache, 'content', 'x.mp4');
    writeFileSync(copy, Buffer.alloc(600 * 1024));
    const names = ['u1.mp4', 'u2.mp4', 'u3.mp4'].map((n) => path.join(cache, n));
    for (const n of names) linkSync(copy, n);
    utimesSync(copy, old, old);
    const other = path.join(cache, 'y.mp4');
    writeFileSync(other, Buffer.alloc(300 * 1024));
    // 900 KB on disk (not 2.7 MB): under a 1000 KB cap nothing goes.
    expect(sweepCache({ dir: cache, maxBytes: 1000 * 1024, inUseMs: 30 * 60_000 }, now)).toEqual({ removed: 0, bytes: 0 });
    // Under 500 KB the least recently used copy goes, all four of its names, and frees 600 KB once.
    expect(sweepCache({ dir: cache, maxBytes: 500 * 1024, inUseMs: 30 * 60_000 }, now)).toEqual({ removed: 4, bytes: 600 * 1024 });
    expect([copy, ...names].some(existsSync)).toBe(false);
    expect(existsSync(other)).toBe(true);
  });
});
