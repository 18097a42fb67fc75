// The service under the faults an outside probe found, on real server processes: SIGTERM lets the
// running render finish; nothing it started outlives a kill -9; a trickling material neither
// holds a render slot nor lasts for minutes; a render process that dies fails its job alone.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesUsing } from '../../src/render/process/strays';
import { DraftBuilder } from '../helpers/draft-builder';
import { makePatternImage, tempDir } from '../helpers/media';
import { busyDraft, copyClip, makeMedia, startFixtures, tinyDraft, type Fixtures } from './helpers/fixtures';
import { freePort, jobOf, makeDataDir, removeDir, startServer, until, type ServerProcess } from './helpers/server-process';

let media: ReturnType<typeof tempDir>;
let fx: Fixtures;
const dirs: string[] = [];
const servers: ServerProcess[] = [];

const start = async (env: Record<string, string>, o: { dataDir?: string; port?: number } = {}) => {
  const dataDir = o.dataDir ?? makeDataDir();
  if (!dirs.includes(dataDir)) dirs.push(dataDir);
  const s = await startServer({ SHUTDOWN_GRACE_SECONDS: '60', ...env }, { dataDir, port: o.port });
  servers.push(s);
  return s;
};

/** A draft that keeps a render busy for `seconds` (the compositor moves the picture; Chromium draws the caption). */
const busy = (name: string, seconds: number) => fx.setDraft(`${name}.json`, busyDraft(fx.mediaUrl(`${name}.png`), seconds, '坚持到底'));

beforeAll(async () => {
  media = tempDir('gen-video-hardening-');
  makeMedia(media.dir);
  for (const name of ['term', 'kill', 'crash']) makePatternImage(path.join(media.dir, `${name}.png`), 640, 360);
  fx = await startFixtures(media.dir);
});

afterAll(async () => {
  for (const s of servers) await s.kill();
  await fx?.close();
  media?.cleanup();
  for (const d of dirs) removeDir(d);
});

describe('signals and crashes', () => {
  it('SIGTERM lets the running render finish with the engine it started with, then exits 0', async () => {
    const s = await start({});
    const { task_id: id } = await (await s.post('/v1/gen_video?wait=0', { draft_url: busy('term', 60) })).json();
    // Any moment of the render will do: 60 s at 640x360 draws for several seconds, in 15 s pieces.
    await until(() => jobOf(s, id), (j) => j.stage === '视频渲染', 120_000, 'rendering');
    expect(await s.stop('SIGTERM', 120_000)).toBe(0);
    const log = s.output();
    expect(log).toMatch(new RegExp(`job ${id}: completed in [\\d.]+ s \\(640x360, 60\\.00 s, compositor\\)`));
    expect(log).not.toMatch(/interrupted by shutdown|failed/);
    // The signal came while the render ran, not after it.
    expect(log.indexOf('shutting down')).toBeGreaterThan(-1);
    expect(log.indexOf('shutting down')).toBeLessThan(log.indexOf(`job ${id}: completed`));

    // The video is there for the next start.
    const again = await start({}, { dataDir: s.dataDir });
    expect(await jobOf(again, id)).toMatchObject({ status: 'completed', video_url: expect.any(String) });
    await again.stop();
  }, 240_000);

  it('leaves no browser running after kill -9: of the server alone, or of the server and its render process', async () => {
    const env = { RENDER_ENGINE: 'remotion' };
    for (const how of ['server', 'server and render process'] as const) {
      const dataDir = makeDataDir();
      const port = await freePort();
      const browsersOf = () => processesUsing(dataDir).filter((pid) => /chrom/i.test(commandOf(pid)));
      const s = await start(env, { dataDir, port });
      const { task_id: id } = await (await s.post('/v1/gen_video?wait=0', { draft_url: busy('kill', 4) })).json();
      await until(() => jobOf(s, id), (j) => j.stage === '视频渲染' && j.progress > 0.2, 120_000, 'rendering');
      expect(browsersOf().length).toBeGreaterThan(0);
      const children = childrenOf(s.proc.pid!);
      expect(children.length).toBeGreaterThan(0);
      if (how === 'server and render process') for (const pid of children) process.kill(pid, 'SIGKILL');
      await s.kill();
      if (how === 'server') {
        // The render process sees its parent gone and takes its browser with it.
        await until(() => browsersOf(), (b) => b.length === 0, 10_000, 'browsers gone');
      } else {
        // Nobody was left to clean up: the next start does.
        await new Promise((r) => setTimeout(r, 1000));
        expect(browsersOf().length).toBeGreaterThan(0);
        const next = await start(env, { dataDir, port });
        expect(next.output()).toMatch(/killed \d+ process\(es\) left running by an earlier run/);
        expect(browsersOf()).toEqual([]);
        // Browser profiles and Remotion's assets live under DATA_DIR/tmp, emptied at start.
        expect(readdirSync(path.join(dataDir, 'tmp')).filter((f) => !f.startsWith('process-'))).toEqual([]);
        // The interrupted job runs again and finishes.
        await until(() => jobOf(next, id), (j) => j.status === 'completed', 180_000, 'the re-run');
        await next.stop();
        expect(readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
      }
    }
  }, 420_000);

  it('a render process that runs out of memory fails its job alone; the server and the next render go on', async () => {
    const s = await start({ RENDER_PROCESS_MAX_MEMORY_MB: '192', RENDER_TIMEOUT_SECONDS: '90' });
    // Twenty four-hour pictures that move every frame: their plan needs gigabytes.
    const b = new DraftBuilder({ width: 640, height: 360, fps: 30 });
    const photo = b.video(fx.mediaUrl('crash.png'), { width: 640, height: 360, durationUs: 0, photo: true });
    const us = 4 * 3600 * 1e6;
    for (let i = 0; i < 20; i++) {
      b.track('video', [
        {
          materialId: photo,
          startUs: 0,
          durationUs: us,
          keyframes: [{ property_type: 'KFTypePositionX', keyframe_list: [{ time_offset: 0, values: [-0.5] }, { time_offset: us, values: [0.5 + i / 100] }] }],
        },
      ]);
    }
    const res = await s.post('/v1/gen_video', { draft_url: fx.setDraft('huge-plan.json', b.toJSON()) });
    expect(res.status).toBe(500);
    expect((await res.json()).detail).toMatch(/^视频渲染失败: the render process stopped unexpectedly/);
    expect((await s.fetch('/healthz')).status).toBe(200);
    const ok = await s.post('/v1/gen_video', { draft_url: fx.setDraft('after.json', tinyDraft(fx.mediaUrl(copyClip(media.dir, 'after.mp4')))) });
    expect(await ok.json()).toMatchObject({ message: '视频生成成功' });
    await s.stop();
  }, 240_000);
});

describe('slow materials', () => {
  it('a trickling material holds a download slot for a stall window, never the render slot', async () => {
    const s = await start({ RENDER_CONCURRENCY: '1', DOWNLOAD_STALL_SECONDS: '4' });
    const slow = fx.setDraft('slow.json', tinyDraft(fx.trickleUrl('slow.mp4')));
    const fast = fx.setDraft('fast.json', tinyDraft(fx.mediaUrl(copyClip(media.dir, 'fast.mp4'))));
    const started = Date.now();
    const slowJob = await (await s.post('/v1/gen_video?wait=0', { draft_url: slow })).json();
    await until(() => jobOf(s, slowJob.task_id), (j) => j.stage === '素材下载', 10_000, 'downloading');
    const done = await s.post('/v1/gen_video', { draft_url: fast });
    expect(await done.json()).toMatchObject({ message: '视频生成成功' });
    const failed = await until(() => jobOf(s, slowJob.task_id), (j) => j.status === 'failed', 30_000, 'the stall');
    expect(failed).toMatchObject({ http_status: 400, detail: expect.stringMatching(/^素材无法访问: slow\.mp4: slower than 16 KB in 4 s/) });
    // Given up after one window (no retries), not 120 s × 3.
    expect(Date.now() - started).toBeLessThan(20_000);
    await s.stop();
  }, 120_000);
});

describe('bounded disk and lists, no leaks', () => {
  it('removes videos and records after RETENTION_DAYS (the URL answers 404, a new POST renders again)', async () => {
    // 0.00003 days ≈ 2.6 s, swept every second.
    const s = await start({ RETENTION_DAYS: '0.00003' });
    const draftUrl = fx.setDraft('kept-briefly.json', tinyDraft(fx.mediaUrl(copyClip(media.dir, 'kept-briefly.mp4'))));
    const first = await (await s.post('/v1/gen_video', { draft_url: draftUrl })).json();
    const path1 = new URL(first.video_url);
    expect((await s.fetch(path1.pathname + path1.search)).status).toBe(200);
    await until(async () => (await s.fetch(`/v1/gen_video/${first.task_id}`)).status, (st) => st === 404, 20_000, 'the job removed');
    expect((await s.fetch(path1.pathname + path1.search)).status).toBe(404);
    expect(readdirSync(path.join(s.dataDir, 'videos'))).toEqual([]);
    expect(s.output()).toMatch(/retention: removed 1 job\(s\)/);
    const again = await (await s.post('/v1/gen_video', { draft_url: draftUrl })).json();
    expect(again).toMatchObject({ message: '视频生成成功' });
    expect(again.task_id).not.toBe(first.task_id);
    await s.stop();
  }, 120_000);

  it('caps callbacks per job and warnings per job, says so, and shows no credentials back', async () => {
    const s = await start({ MAX_CALLBACKS_PER_JOB: '3', ALLOW_PRIVATE_NETWORK: 'true' });
    // 3000 hidden captions: 3000 warnings in the draft, 200 and a count in the answer.
    const b = new DraftBuilder({ width: 160, height: 90, fps: 10 });
    const clip = b.video(fx.heldUrl(copyClip(media.dir, 'lists.mp4')), { width: 160, height: 90, durationUs: 2e6 });
    b.track('video', [{ materialId: clip, startUs: 0, durationUs: 1e6 }]);
    const text = b.text('hidden');
    b.track('text', Array.from({ length: 3000 }, (_, i) => ({ materialId: text, startUs: (i % 10) * 1e5, durationUs: 1e5, visible: false })));
    fx.setDraft('lists.json', b.toJSON());
    const withCredentials = fx.baseUrl.replace('http://', 'http://editor:s3cret@') + '/drafts/lists.json';
    const posts = [];
    for (let i = 0; i < 5; i++) posts.push(await s.post('/v1/gen_video?wait=0', { draft_url: withCredentials, callback_url: fx.callbackUrl(`cb${i}`) }));
    expect(posts.slice(0, 3).map((r) => r.status)).toEqual([202, 202, 202]);
    for (const r of posts.slice(3)) {
      expect(r.status).toBe(400);
      expect((await r.json()).detail).toMatch(/^callback_url格式无效: 此任务的回调地址已达上限（3个，MAX_CALLBACKS_PER_JOB）/);
    }
    const { task_id: id } = await posts[0].json();
    fx.release('lists.mp4');
    const done = await until(() => jobOf(s, id), (j) => j.status === 'completed', 60_000, 'the render');
    expect(done.warnings).toHaveLength(201);
    expect(done.warnings.at(-1)).toEqual({ code: 'warnings-truncated', message: '2800 more warning(s) not listed (at most 200 are kept)' });
    expect(JSON.stringify(done).length).toBeLessThan(64 * 1024);
    expect(done.draft_url).toBe(`${fx.baseUrl}/drafts/lists.json`);
    const status = await (await s.post('/v1/gen_video_status', { draft_url: withCredentials })).json();
    expect(JSON.stringify(status)).not.toContain('s3cret');
    for (let i = 0; i < 3; i++) await fx.waitForCallbacks(`cb${i}`, 1);
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 3; i < 5; i++) expect(fx.callbacks(`cb${i}`)).toHaveLength(0);
    expect(JSON.stringify(fx.callbacks('cb0')[0].body)).not.toContain('s3cret');
    await s.stop();
  }, 120_000);
});

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

function commandOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}
