// Queue limit (503 服务繁忙) and render time limit (504 处理超时) on the real server process.
// Jobs are kept busy by materials the fixture server holds back, so no render is needed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/media';
import { copyClip, makeMedia, startFixtures, tinyDraft, type Fixtures } from './helpers/fixtures';
import { removeDir, startServer, type ServerProcess } from './helpers/server-process';

let media: ReturnType<typeof tempDir>;
let fx: Fixtures;
let srv: ServerProcess;

beforeAll(async () => {
  media = tempDir('gen-video-limits-');
  makeMedia(media.dir);
  fx = await startFixtures(media.dir);
  srv = await startServer({ RENDER_CONCURRENCY: '1', DOWNLOAD_JOBS: '1', QUEUE_LIMIT: '1', RENDER_TIMEOUT_SECONDS: '3', SHUTDOWN_GRACE_SECONDS: '1' });
});

afterAll(async () => {
  expect(await srv?.stop()).toBe(0);
  await fx?.close();
  media?.cleanup();
  if (srv) removeDir(srv.dataDir);
});

it('two jobs are taken (a render slot, a download slot), one waits, the next gets 503 服务繁忙; a job over RENDER_TIMEOUT_SECONDS answers 504 处理超时', async () => {
  const draft = (name: string) => fx.setDraft(`${name}.json`, tinyDraft(fx.heldUrl(copyClip(media.dir, `${name}.mp4`))));
  const a = draft('slow-a');
  const a2 = draft('slow-a2');
  const b = draft('slow-b');
  const c = draft('slow-c');

  const started = Date.now();
  const running = srv.post('/v1/gen_video', { draft_url: a }); // waits for its job
  await new Promise((r) => setTimeout(r, 300));
  const taken = await (await srv.post('/v1/gen_video?wait=0', { draft_url: a2 })).json();
  expect(taken).toMatchObject({ status: 'in-progress' });

  const queued = await srv.post('/v1/gen_video?wait=0', { draft_url: b });
  expect(queued.status).toBe(202);
  const q = await queued.json();
  expect(q).toMatchObject({ status: 'queued', stage: '开始处理', progress: 0 });
  expect(await (await srv.fetch(`/v1/gen_video/${q.task_id}`)).json()).toMatchObject({ status: 'queued', queue_position: 1 });

  const busy = await srv.post('/v1/gen_video?wait=0', { draft_url: c });
  expect(busy.status).toBe(503);
  expect(busy.headers.get('retry-after')).toBe('30');
  expect((await busy.json()).detail).toMatch(/^服务繁忙/);
  // Joining a job is not a new job: always allowed.
  expect((await srv.post('/v1/gen_video?wait=0', { draft_url: b })).status).toBe(202);

  const timedOut = await running;
  expect(timedOut.status).toBe(504);
  expect((await timedOut.json()).detail).toMatch(/^处理超时/);
  expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  expect(Date.now() - started).toBeLessThan(15_000);

  // The waiting job got its turn (and its own time limit).
  const st = await (await srv.post('/v1/gen_video_status', { draft_url: a })).json();
  expect(st).toMatchObject({ status: 'failed', error_message: expect.stringMatching(/^处理超时/) });
  const bJob = await (await srv.fetch(`/v1/gen_video/${q.task_id}`)).json();
  expect(['in-progress', 'failed']).toContain(bJob.status);
});
