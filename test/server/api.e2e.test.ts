// The API through real HTTP against the real server process (`tsx server/main.ts`) and real renders
// of tiny drafts (160×90, 10 fps, 1 s). One server process serves the whole file.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../server/storage/signing';
import { tempDir } from '../helpers/media';
import { probe } from '../helpers/probe';
import { copyClip, emptyDraft, makeMedia, startFixtures, tinyDraft, type Fixtures } from './helpers/fixtures';
import { generateVideoWithPolling } from './helpers/poll-client';
import { freePort, removeDir, startServer, type ServerProcess } from './helpers/server-process';
import { readSse } from './helpers/sse';

const SECRET = 'e2e-signing-secret-0123456789';
const STAGES = ['开始处理', '素材下载', '视频渲染', '音频处理', '最终编码', '上传完成'];

let media: ReturnType<typeof tempDir>;
let fx: Fixtures;
let srv: ServerProcess;

beforeAll(async () => {
  media = tempDir('gen-video-e2e-media-');
  makeMedia(media.dir);
  fx = await startFixtures(media.dir);
  const port = await freePort();
  srv = await startServer(
    { URL_SIGNING_SECRET: SECRET, PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, CALLBACK_MAX_ATTEMPTS: '3' },
    { port },
  );
});

afterAll(async () => {
  const code = await srv?.stop();
  expect(code).toBe(0);
  await fx?.close();
  media?.cleanup();
  if (srv) removeDir(srv.dataDir);
});

const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, any> });

describe('service basics', () => {
  it('serves /healthz, /openapi.json and a docs page', async () => {
    expect(await json(await srv.fetch('/healthz'))).toMatchObject({ status: 200, body: { status: 'ok', storage: 'local' } });
    const doc = await json(await srv.fetch('/openapi.json'));
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/gen_video', '/v1/gen_video/{task_id}', '/v1/gen_video/{task_id}/events', '/v1/gen_video_status']),
    );
    expect(doc.body.paths['/v1/gen_video'].post.responses).toHaveProperty('202');
    const docs = await srv.fetch('/docs');
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('/openapi.json');
    // The page works offline: its assets come from this server, not a CDN.
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await srv.fetch('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await srv.fetch('/docs/assets/swagger-ui.css')).status).toBe(200);
  });
});

describe('error table through the real pipeline', () => {
  const post = (body: unknown) => srv.post('/v1/gen_video', body).then(json);

  it('400 draft_url是必填项 / draft_url格式无效, and clear 400s for unusable bodies', async () => {
    expect(await post({})).toEqual({ status: 400, body: { detail: 'draft_url是必填项' } });
    expect(await post({ draft_url: '' })).toEqual({ status: 400, body: { detail: 'draft_url是必填项' } });
    expect(await post({ draft_url: 'not a url' })).toEqual({ status: 400, body: { detail: 'draft_url格式无效' } });
    expect(await post({ draft_url: 'ftp://example.com/d.json' })).toEqual({ status: 400, body: { detail: 'draft_url格式无效' } });
    const malformed = await json(await srv.fetch('/v1/gen_video', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"draft_url": ' }));
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toMatch(/^请求体不是有效的JSON/);
    const form = await json(
      await srv.fetch('/v1/gen_video', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'draft_url=x' }),
    );
    expect(form.status).toBe(400);
    expect(form.body.detail).toMatch(/^请求体必须是JSON/);
  });

  it('404 草稿不存在 when the draft URL answers 404', async () => {
    expect(await post({ draft_url: `${fx.baseUrl}/drafts/never-written.json` })).toEqual({ status: 404, body: { detail: '草稿不存在' } });
  });

  it('400 草稿内容为空 for a draft with nothing to render', async () => {
    const r = await post({ draft_url: fx.setDraft('empty.json', emptyDraft()) });
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/^草稿内容为空/);
  });

  it('400 素材无法访问 naming the material, for a missing file and for one that is not media', async () => {
    const missing = await post({ draft_url: fx.setDraft('missing.json', tinyDraft(fx.mediaUrl('no-such-clip.mp4'))) });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toMatch(/^素材无法访问: .*no-such-clip\.mp4/);
    const garbage = await post({ draft_url: fx.setDraft('garbage.json', tinyDraft(fx.mediaUrl('garbage.mp4'))) });
    expect(garbage.status).toBe(400);
    expect(garbage.body.detail).toMatch(/^素材无法访问: .*garbage\.mp4/);
  });
});

describe('one draft, many clients', () => {
  let taskId: string;
  let videoUrl: string;

  it('10 concurrent POSTs make one render and get one video_url; ?wait=0 + gen_video_status, SSE, a callback and a client that hangs up all see the same job', async () => {
    copyClip(media.dir, 'many.mp4');
    const draftUrl = fx.setDraft('many.json', tinyDraft(fx.mediaUrl('many.mp4')));

    // Ten clients and a Coze-style one (answer at once, then poll gen_video_status) all post the
    // new draft at the same moment: no job exists yet, exactly one must come out of it.
    const answering = Promise.all(Array.from({ length: 10 }, () => srv.post('/v1/gen_video', { draft_url: draftUrl }).then(json)));
    const first = await json(await srv.post('/v1/gen_video?wait=0', { draft_url: draftUrl, callback_url: fx.callbackUrl('many', 1) }));
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ message: '视频生成中', task_id: expect.any(String) });
    expect(first.body).not.toHaveProperty('video_url');
    expect(['queued', 'in-progress']).toContain(first.body.status);
    expect(STAGES).toContain(first.body.stage);
    taskId = first.body.task_id;

    const events = readSse(`${srv.baseUrl}/v1/gen_video/${taskId}/events`);

    // A client that gives up after 200 ms must not cancel anything.
    const quitter = new AbortController();
    const quitting = srv
      .fetch('/v1/gen_video', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ draft_url: draftUrl }), signal: quitter.signal })
      .catch(() => undefined);
    setTimeout(() => quitter.abort(), 200);

    const statuses: Record<string, any>[] = [];
    const poller = (async () => {
      for (;;) {
        const st = await json(await srv.post('/v1/gen_video_status', { draft_url: draftUrl }));
        expect(st.status).toBe(200);
        statuses.push(st.body);
        if (st.body.status === 'completed' || st.body.status === 'failed') return;
        await new Promise((r) => setTimeout(r, 300));
      }
    })();

    const answers = await answering;
    await poller;
    await quitting;
    for (const a of answers) expect(a).toMatchObject({ status: 200, body: { message: '视频生成成功', task_id: taskId } });
    expect(new Set(answers.map((a) => a.body.video_url)).size).toBe(1);
    videoUrl = answers[0].body.video_url;
    expect(videoUrl.startsWith(`${srv.baseUrl}/videos/`)).toBe(true);

    // Exactly one render: one job, the draft and its material fetched once.
    expect(fx.hits('/drafts/many.json')).toBe(1);
    expect(fx.hits('/media/many.mp4')).toBe(1);

    // gen_video_status went pending/processing → completed in capcut-mate's shape.
    const last = statuses.at(-1)!;
    expect(last).toMatchObject({ draft_url: draftUrl, status: 'completed', progress: 100, video_url: videoUrl, error_message: '' });
    for (const k of ['created_at', 'started_at', 'completed_at']) expect(Number.isNaN(Date.parse(last[k]))).toBe(false);
    expect(statuses.slice(0, -1).every((s) => ['pending', 'processing'].includes(s.status))).toBe(true);
    const pct = statuses.map((s) => s.progress);
    expect(pct).toEqual([...pct].sort((a, b) => a - b));

    // The event stream ends with the finished job; its stages are the API's, progress only grows.
    const msgs = await events;
    expect(msgs.length).toBeGreaterThan(1);
    expect(msgs.at(-1)).toMatchObject({ task_id: taskId, status: 'completed', video_url: videoUrl, stage: '上传完成', progress: 1 });
    expect(msgs.every((m) => STAGES.includes(m.stage as string))).toBe(true);
    expect(new Set(msgs.map((m) => m.stage)).size).toBeGreaterThan(2);
    const progress = msgs.map((m) => m.progress as number);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    // The callback: first try answered 500, the retry delivered the job JSON.
    const calls = await fx.waitForCallbacks('many', 2, 30_000);
    expect(calls[1].body).toMatchObject({ task_id: taskId, status: 'completed', video_url: videoUrl, draft_url: draftUrl });

    const job = await json(await srv.fetch(`/v1/gen_video/${taskId}`));
    expect(job.body).toMatchObject({ task_id: taskId, status: 'completed', stage: '上传完成', progress: 1, video_url: videoUrl });
    expect(Array.isArray(job.body.warnings)).toBe(true);
    expect(await json(await srv.fetch('/v1/gen_video/no-such-task'))).toEqual({ status: 404, body: { detail: '任务不存在' } });
  });

  it('the video downloads and probes as the draft says', async () => {
    const res = await fetch(videoUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const file = path.join(media.dir, 'downloaded.mp4');
    writeFileSync(file, bytes);
    const p = probe(file);
    expect(p).toMatchObject({ width: 160, height: 90, videoCodec: 'h264', pixelFormat: 'yuv420p' });
    expect(p.fps).toBeCloseTo(10, 1);
    expect(p.durationSec).toBeGreaterThan(0.8);
    expect(p.durationSec).toBeLessThan(1.3);
  });

  it('answers byte ranges (206/416) and HEAD', async () => {
    const full = Buffer.from(await (await fetch(videoUrl)).arrayBuffer());
    const size = full.length;

    const r1 = await fetch(videoUrl, { headers: { Range: 'bytes=0-99' } });
    expect(r1.status).toBe(206);
    expect(r1.headers.get('content-range')).toBe(`bytes 0-99/${size}`);
    expect(r1.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await r1.arrayBuffer()).equals(full.subarray(0, 100))).toBe(true);

    const r2 = await fetch(videoUrl, { headers: { Range: 'bytes=-50' } });
    expect(r2.status).toBe(206);
    expect(r2.headers.get('content-range')).toBe(`bytes ${size - 50}-${size - 1}/${size}`);
    expect(Buffer.from(await r2.arrayBuffer()).equals(full.subarray(size - 50))).toBe(true);

    const r3 = await fetch(videoUrl, { headers: { Range: `bytes=${size - 10}-` } });
    expect(r3.status).toBe(206);
    expect(Buffer.from(await r3.arrayBuffer()).equals(full.subarray(size - 10))).toBe(true);

    const r4 = await fetch(videoUrl, { headers: { Range: `bytes=${size}-` } });
    expect(r4.status).toBe(416);
    expect(r4.headers.get('content-range')).toBe(`bytes */${size}`);
    await r4.arrayBuffer();

    const head = await fetch(videoUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(size));
    expect(head.headers.get('accept-ranges')).toBe('bytes');
  });

  it('refuses tampered and expired video URLs with 403', async () => {
    const u = new URL(videoUrl);
    const key = u.pathname.split('/').pop()!;
    const expires = Number(u.searchParams.get('expires'));

    const badSig = new URL(u);
    badSig.searchParams.set('sig', `${u.searchParams.get('sig')!.slice(0, -2)}xx`);
    const laterExpiry = new URL(u);
    laterExpiry.searchParams.set('expires', String(expires + 3600));
    const otherKey = new URL(u);
    otherKey.pathname = '/videos/other.mp4';
    const unsigned = `${u.origin}${u.pathname}`;
    for (const url of [badSig.href, laterExpiry.href, otherKey.href, unsigned]) {
      const r = await fetch(url);
      expect(r.status).toBe(403);
      expect((await r.json()).detail).toBe('链接签名无效');
    }

    const past = Math.floor(Date.now() / 1000) - 10;
    const expired = await fetch(`${u.origin}${u.pathname}?expires=${past}&sig=${sign(SECRET, key, past)}`);
    expect(expired.status).toBe(403);
    expect((await expired.json()).detail).toMatch(/^链接已过期/);

    const soon = Math.floor(Date.now() / 1000) + 60;
    expect((await fetch(`${u.origin}${u.pathname}?expires=${soon}&sig=${sign(SECRET, key, soon)}`, { method: 'HEAD' })).status).toBe(200);
  });
});

describe("the spec's polling client", () => {
  it('202s and client timeouts, re-POSTs until video_url; the same draft answers the same video_url; a changed draft renders again', async () => {
    copyClip(media.dir, 'poll.mp4');
    // The material answers only after 4 s, so the job outlasts the client's 1.5 s timeout
    // however fast the render itself is.
    const draftUrl = fx.setDraft('poll.json', tinyDraft(fx.heldUrl('poll.mp4')));
    const wrapped = `https://ts.fyshark.com/#/cozeToJianyin?drafId=${draftUrl}`;
    const release = setTimeout(() => fx.release('poll.mp4'), 4000);

    const seen: string[] = [];
    const { result, timeouts, attempts } = await generateVideoWithPolling(srv.baseUrl, wrapped, {
      timeoutMs: 1500, // the first tries time out, as the spec's clients do
      pollIntervalMs: 300,
      maxAttempts: 200,
      onProgress: (p) => seen.push(p.status),
    }).finally(() => clearTimeout(release));
    expect(result).toMatchObject({ message: '视频生成成功', video_url: expect.stringContaining('/videos/') });
    expect(timeouts).toBeGreaterThan(0);
    expect(attempts).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe('completed');
    expect(fx.hits('/held/poll.mp4')).toBe(1);

    // Done: a re-POST (plain URL this time) answers at once with the same video_url.
    const t0 = Date.now();
    const again = await json(await srv.post('/v1/gen_video', { draft_url: draftUrl }));
    expect(again.body).toEqual(result);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(fx.hits('/held/poll.mp4')).toBe(1);

    // The draft changed: a new render, a new video.
    fx.setDraft('poll.json', tinyDraft(fx.mediaUrl('poll.mp4'), { alpha: 0.5 }));
    const changed = await json(await srv.post('/v1/gen_video', { draft_url: draftUrl }));
    expect(changed.status).toBe(200);
    expect(changed.body.task_id).not.toBe(result.task_id);
    expect(changed.body.video_url).not.toBe(result.video_url);
  });

  it('after a failure, a re-POST tries again', async () => {
    const draftUrl = fx.setDraft('late.json', tinyDraft(fx.mediaUrl('late.mp4')));
    const failed = await json(await srv.post('/v1/gen_video', { draft_url: draftUrl }));
    expect(failed.status).toBe(400);
    expect(failed.body.detail).toMatch(/^素材无法访问: .*late\.mp4/);
    const st = await json(await srv.post('/v1/gen_video_status', { draft_url: draftUrl }));
    expect(st.body).toMatchObject({ status: 'failed', error_message: failed.body.detail, video_url: '' });

    copyClip(media.dir, 'late.mp4');
    const ok = await json(await srv.post('/v1/gen_video', { draft_url: draftUrl }));
    expect(ok).toMatchObject({ status: 200, body: { message: '视频生成成功' } });
  });
});
