// Jobs survive restarts: a finished job still answers (same signed URL), a job killed mid-way is
// re-queued and finishes, a graceful stop keeps the running job for the next start, no orphans.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/media';
import { copyClip, makeMedia, startFixtures, tinyDraft, type Fixtures } from './helpers/fixtures';
import { freePort, makeDataDir, removeDir, startServer, until, type ServerProcess } from './helpers/server-process';

let media: ReturnType<typeof tempDir>;
let fx: Fixtures;
let dataDir: string;
let port: number;
let srv: ServerProcess | undefined;

const start = async () => {
  srv = await startServer({ SHUTDOWN_GRACE_SECONDS: '1', PUBLIC_BASE_URL: `http://127.0.0.1:${port}` }, { dataDir, port });
  return srv;
};

const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    : [];

beforeAll(async () => {
  media = tempDir('gen-video-restart-');
  makeMedia(media.dir);
  fx = await startFixtures(media.dir);
  dataDir = makeDataDir();
  port = await freePort();
});

afterAll(async () => {
  await srv?.kill();
  await fx?.close();
  media?.cleanup();
  if (dataDir) removeDir(dataDir);
});

it('keeps finished jobs, re-runs interrupted ones and leaves no orphans across a crash and a graceful stop', async () => {
  const draftX = fx.setDraft('x.json', tinyDraft(fx.mediaUrl(copyClip(media.dir, 'x.mp4'))));
  const draftY = fx.setDraft('y.json', tinyDraft(fx.heldUrl(copyClip(media.dir, 'y.mp4'))));

  // 1st life: X finishes; Y hangs in its material download; then the process is killed.
  let s = await start();
  const x = await (await s.post('/v1/gen_video', { draft_url: draftX })).json();
  expect(x).toMatchObject({ message: '视频生成成功', video_url: expect.any(String) });
  const y = await (await s.post('/v1/gen_video?wait=0', { draft_url: draftY })).json();
  await until(
    async () => (await (await s.fetch(`/v1/gen_video/${y.task_id}`)).json()).stage,
    (stage) => stage === '素材下载',
  );
  const halfDownloads = await until(
    async () => filesUnder(path.join(dataDir, 'cache')).filter((f) => f.endsWith('.part')),
    (parts) => parts.length > 0,
  );
  await s.kill();
  writeFileSync(path.join(dataDir, 'tmp', 'left-by-a-crash.mp4'), 'partial render');

  // 2nd life: X answers as before; Y is re-queued and runs again; no temp files survived.
  s = await start();
  expect(s.output()).toMatch(/interrupted, re-queued/);
  expect(readdirSync(path.join(dataDir, 'tmp')).filter((f) => f === 'left-by-a-crash.mp4')).toEqual([]);
  expect(halfDownloads.filter((f) => existsSync(f))).toEqual([]);
  expect(await (await s.fetch(`/v1/gen_video/${x.task_id}`)).json()).toMatchObject({ status: 'completed', video_url: x.video_url });
  const video = await fetch(x.video_url); // signed before the crash: the signing secret persisted in DATA_DIR
  expect(video.status).toBe(200);
  expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  const hitsX = fx.hits('/media/x.mp4');
  expect(await (await s.post('/v1/gen_video', { draft_url: draftX })).json()).toEqual(x);
  expect(fx.hits('/media/x.mp4')).toBe(hitsX);
  await until(
    async () => (await (await s.fetch(`/v1/gen_video/${y.task_id}`)).json()) as Record<string, unknown>,
    (j) => j.status === 'in-progress' && j.stage === '素材下载',
  );

  // Graceful stop while Y runs: it gets SHUTDOWN_GRACE_SECONDS, then is stopped and kept for later.
  expect(await s.stop('SIGTERM', 30_000)).toBe(0);
  expect(s.output()).toMatch(/interrupted by shutdown, re-queued/);

  // 3rd life: Y runs once more and finishes; a re-POST of Y joins it.
  s = await start();
  fx.release('y.mp4');
  const yDone = await (await s.post('/v1/gen_video', { draft_url: draftY })).json();
  expect(yDone).toMatchObject({ message: '视频生成成功', task_id: y.task_id, video_url: expect.any(String) });
  expect(await (await s.fetch(`/v1/gen_video/${x.task_id}`)).json()).toMatchObject({ status: 'completed' });
  // Only the warm render process's own folder while the server runs; nothing once it stopped.
  expect(readdirSync(path.join(dataDir, 'tmp')).filter((f) => !f.startsWith('process-'))).toEqual([]);
  expect(await s.stop()).toBe(0);
  expect(readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
});
