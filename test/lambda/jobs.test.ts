// RENDER_BACKEND=lambda through the whole job service, in-process: the real runner, store, events,
// routes and storage around the Lambda backend on the fake client. Progress reaches the job and its
// SSE stream, failures answer the error table, a stall is cancelled, the video is stored and served.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaBackend } from '../../src/render/lambda/backend';
import type { LambdaSettings } from '../../src/render/lambda/settings';
import { prepareTimeline } from '../../src/render/prepare';
import { DEFAULT_ENCODE, renderSettings } from '../../src/render/settings';
import type { Timeline } from '../../src/timeline/types';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createEmbeddedJobs } from '../../server/embedded';
import type { JobPipeline } from '../../server/jobs/pipeline';
import type { JobSystem } from '../../server/jobs/system';
import { silentLogger } from '../../server/log';
import { createLocalStorage } from '../../server/storage/local';
import { DraftBuilder } from '../helpers/draft-builder';
import { createFakeLambdaClient, fakeLambdaSettings, type FakeLambdaClient, type FakeRenderScript } from '../helpers/fake-lambda';
import { serveDir, type TestServer } from '../helpers/http-server';
import { makeColorClip, tempDir } from '../helpers/media';
import { probe } from '../helpers/probe';

const tmp = tempDir('gen-video-lambda-jobs-');
let media: TestServer;
/** A prepared timeline whose materials came from a public host (as a real draft's do). */
let timeline: Timeline;
let video: string;

const lambda = (over: Partial<LambdaSettings> = {}) => fakeLambdaSettings({ pollIntervalMs: 20, ...over });

let system: JobSystem | undefined;
let dataDir: string;

/** The app with jobs rendered "on Lambda"; `prepare` hands over `tl` as the runner would. */
async function service(fake: FakeLambdaClient, o: { settings?: Partial<LambdaSettings>; tl?: Timeline; env?: Record<string, string> } = {}) {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gen-video-lambda-data-'));
  const config = loadConfig({ DATA_DIR: dataDir, URL_SIGNING_SECRET: 'test-secret-0123456789', ...o.env });
  const storage = createLocalStorage({ dir: path.join(dataDir, 'videos'), secret: config.urlSigningSecret!, baseUrl: () => 'http://videos.test' });
  const draft = new DraftBuilder({ width: 64, height: 36 }).toJSON();
  const pipeline: JobPipeline = {
    load: async (url) => ({ draft, context: { draftUrl: url }, json: { url } }),
    prepare: async (_url, _loaded, p) => {
      p.onProgress(1);
      return o.tl ?? timeline;
    },
    backend: createLambdaBackend(lambda(o.settings), fake),
  };
  system = createEmbeddedJobs({ config, storage, pipeline, log: silentLogger });
  await system.start();
  const app = createApp({ config, jobs: system.service, health: () => system!.health(), metrics: system.metrics, storage, log: silentLogger });
  const post = (p: string, body: unknown) => Promise.resolve(app.request(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  return { app, post };
}

const scripted = (script: Omit<FakeRenderScript, 'videoFile'>) => {
  const fake = createFakeLambdaClient();
  fake.script({ videoFile: video, ...script });
  return fake;
};

beforeAll(async () => {
  video = makeColorClip(path.join(tmp.dir, 'rendered.mp4'), { color: 'blue', width: 64, height: 36, durationSec: 1, toneHz: 440 });
  makeColorClip(path.join(tmp.dir, 'clip.mp4'), { color: 'red', width: 64, height: 36, durationSec: 2 });
  media = await serveDir(tmp.dir);
  const d = new DraftBuilder({ width: 64, height: 36, fps: 30 });
  d.track('video', [{ materialId: d.video(media.url('clip.mp4'), { width: 64, height: 36, durationUs: 2_000_000 }), startUs: 0, durationUs: 1_000_000 }]);
  writeFileSync(path.join(tmp.dir, 'draft.json'), JSON.stringify(d.toJSON()));
  mkdirSync(path.join(tmp.dir, 'data'), { recursive: true });
  const prepared = await prepareTimeline({ source: media.url('draft.json') }, renderSettings({ dataDir: path.join(tmp.dir, 'data'), allowPrivateNetwork: true }));
  timeline = {
    ...prepared,
    media: Object.fromEntries(Object.entries(prepared.media).map(([id, ref]) => [id, { ...ref, sourceUrl: `https://cdn.example.com${new URL(ref.sourceUrl!).pathname}` }])),
  };
}, 120_000);

afterEach(async () => {
  await system?.shutdown(0, silentLogger);
  system = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await media?.close();
  tmp.cleanup();
});

describe('jobs on Remotion Lambda', () => {
  it('progress reaches the job and its SSE stream; the video is stored once and served at video_url', async () => {
    const fake = scripted({ polls: 8 });
    // Slow enough polls that progress events (at most one per 200 ms) fall inside the render.
    const { app, post } = await service(fake, { settings: { pollIntervalMs: 150 } });
    const { task_id: id } = await (await post('/v1/gen_video?wait=0', { draft_url: 'https://drafts.example.com/a.json' })).json();
    const sse = await (await app.request(`/v1/gen_video/${id}/events`)).text();
    const events = sse
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)));
    expect(events.at(-1)).toMatchObject({ status: 'completed', stage: '上传完成', progress: 1 });
    expect(events.some((e) => e.stage === '视频渲染' && e.progress > 0.2 && e.progress < 0.9)).toBe(true);
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const done = await (await app.request(`/v1/gen_video/${id}`)).json();
    expect(done).toMatchObject({ status: 'completed', video_url: expect.stringMatching(/^http:\/\/videos\.test\/videos\//) });
    const served = await app.request(new URL(done.video_url).pathname + new URL(done.video_url).search);
    expect(served.status).toBe(200);
    const file = path.join(tmp.dir, 'served.mp4');
    writeFileSync(file, Buffer.from(await served.arrayBuffer()));
    expect(probe(file)).toMatchObject({ videoCodec: 'h264', width: 64, height: 36 });
    expect(fake.callsOf('renderMedia')).toHaveLength(1);
    expect(fake.callsOf('downloadMedia')).toHaveLength(1);
  });

  it('a fatal error on Lambda answers its row of the error table', async () => {
    const { post } = await service(scripted({ polls: 10, fatalAtPoll: 2, fatalError: { type: 'stitcher', message: 'Error: ffmpeg exited with code 1 while concatenating' } }));
    const res = await post('/v1/gen_video', { draft_url: 'https://drafts.example.com/b.json' });
    expect(res.status).toBe(500);
    expect((await res.json()).detail).toMatch(/^编码失败/);
  });

  it('a render that stops moving answers 504 处理超时, and a cancel is sent', async () => {
    const fake = scripted({ polls: 1000, stallFromPoll: 2 });
    const { post } = await service(fake, { settings: { stallTimeoutMs: 200, pollIntervalMs: 20 } });
    const res = await post('/v1/gen_video', { draft_url: 'https://drafts.example.com/c.json' });
    expect(res.status).toBe(504);
    expect((await res.json()).detail).toMatch(/^处理超时: Remotion Lambda made no progress/);
    expect(fake.callsOf('cancelRender')).toHaveLength(1);
  });

  it('our own time limit cancels the Lambda render too', async () => {
    const fake = scripted({ polls: 1_000_000 });
    const { post } = await service(fake, { env: { RENDER_TIMEOUT_SECONDS: '1' }, settings: { pollIntervalMs: 50 } });
    const res = await post('/v1/gen_video', { draft_url: 'https://drafts.example.com/d.json' });
    expect(res.status).toBe(504);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.callsOf('cancelRender')).toHaveLength(1);
  });

  it('a material only this server can reach is refused with 400 before Lambda is called', async () => {
    const fake = scripted({});
    const local = { ...timeline, media: Object.fromEntries(Object.entries(timeline.media).map(([id, ref]) => [id, { ...ref, sourceUrl: undefined }])) };
    const { post } = await service(fake, { tl: local });
    const res = await post('/v1/gen_video', { draft_url: 'https://drafts.example.com/e.json' });
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toMatch(/^素材无法访问: clip\.mp4: /);
    expect(fake.calls).toEqual([]);
  });
});

