// The Remotion Lambda backend through the fake client: the timeline is prepared as the job runner
// does it (draft served from 127.0.0.1, materials downloaded and probed), then rendered "on Lambda".
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenVideoError } from '../../src/errors';
import type { BackendRenderInput } from '../../src/render/backend';
import { createLambdaBackend, lambdaFailure, lambdaStage } from '../../src/render/lambda/backend';
import type { LambdaClient, LambdaProgress } from '../../src/render/lambda/client';
import { createFakeLambdaClient, fakeLambdaSettings, type FakeLambdaClient } from '../helpers/fake-lambda';
import { lambdaTimeline } from '../../src/render/lambda/props';
import { DEFAULT_POLL_INTERVAL_MS, type LambdaSettings } from '../../src/render/lambda/settings';
import { prepareTimeline } from '../../src/render/prepare';
import { STAGE_END } from '../../src/render/render-draft';
import { DEFAULT_ENCODE, renderSettings } from '../../src/render/settings';
import type { RenderProgress } from '../../src/render/types';
import type { Timeline } from '../../src/timeline/types';
import { DraftBuilder } from '../helpers/draft-builder';
import { serveDir, type TestServer } from '../helpers/http-server';
import { makeColorClip, makeImage, tempDir } from '../helpers/media';
import { probe } from '../helpers/probe';

const tmp = tempDir('gen-video-lambda-');
let server: TestServer;
/** The prepared timeline exactly as the runner hands it over (materials from 127.0.0.1). */
let prepared: Timeline;
/** The same with the materials' URLs on a public host (what a real draft has). */
let publicTimeline: Timeline;
/** The MP4 the fake "renders". */
let video: string;

const settings = fakeLambdaSettings;

let jobs = 0;
const job = (timeline: Timeline, over: Partial<BackendRenderInput> = {}) => {
  const progress: RenderProgress[] = [];
  const logs: string[] = [];
  const input: BackendRenderInput = {
    jobId: `job-${++jobs}`,
    timeline,
    outPath: path.join(tmp.dir, 'out', `job-${jobs}.mp4`),
    signal: new AbortController().signal,
    onProgress: (p) => progress.push(p),
    log: (line) => logs.push(line),
    ...over,
  };
  return { input, progress, logs };
};

const publicUrl = (url: string) => `https://cdn.example.com${new URL(url).pathname}`;
const withSources = (timeline: Timeline, map: (url: string | undefined) => string | undefined): Timeline => ({
  ...timeline,
  media: Object.fromEntries(Object.entries(timeline.media).map(([id, ref]) => [id, { ...ref, sourceUrl: map(ref.sourceUrl) }])),
});

const failureOf = async (work: Promise<unknown>): Promise<GenVideoError> => {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GenVideoError);
  return err as GenVideoError;
};

beforeAll(async () => {
  video = makeColorClip(path.join(tmp.dir, 'rendered.mp4'), { color: 'blue', width: 64, height: 36, durationSec: 1, toneHz: 440 });
  makeColorClip(path.join(tmp.dir, 'clip.mp4'), { color: 'red', width: 64, height: 36, durationSec: 2, toneHz: 660 });
  makeImage(path.join(tmp.dir, 'photo.png'), 'green', 64, 36);
  server = await serveDir(tmp.dir);
  const d = new DraftBuilder({ width: 64, height: 36, fps: 30 });
  d.track('video', [
    { materialId: d.video(server.url('clip.mp4'), { width: 64, height: 36, durationUs: 2_000_000 }), startUs: 0, durationUs: 1_000_000 },
    { materialId: d.video(server.url('photo.png'), { width: 64, height: 36, durationUs: 0, photo: true }), startUs: 1_000_000, durationUs: 1_000_000 },
  ]);
  d.track('text', [{ materialId: d.text('你好，Lambda'), startUs: 0, durationUs: 2_000_000 }]);
  writeFileSync(path.join(tmp.dir, 'draft.json'), JSON.stringify(d.toJSON()));
  prepared = await prepareTimeline({ source: server.url('draft.json') }, renderSettings({ dataDir: path.join(tmp.dir, 'data'), allowPrivateNetwork: true }));
  publicTimeline = withSources(prepared, (url) => url && publicUrl(url));
}, 120_000);

afterAll(async () => {
  await server?.close();
  tmp.cleanup();
});

describe('materials for Lambda', () => {
  it('fetchMaterials says which URL each material came from', () => {
    const refs = Object.values(prepared.media);
    expect(refs.length).toBe(2);
    for (const ref of refs) {
      expect(ref.sourceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(clip\.mp4|photo\.png)$/);
      expect(existsSync(ref.src!)).toBe(true);
    }
  });

  it('are refused with 400 素材无法访问 before any call to AWS when only this server can reach them', async () => {
    const fake = createFakeLambdaClient();
    fake.script({ videoFile: video });
    const backend = createLambdaBackend(settings(), fake);
    // As prepared: downloaded from 127.0.0.1 (allowed here by ALLOW_PRIVATE_NETWORK, not reachable from AWS).
    const loopback = await failureOf(backend.render(job(prepared).input));
    expect(loopback.code).toBe('MATERIAL_UNREACHABLE');
    expect(loopback.status).toBe(400);
    expect(loopback.detail).toMatch(/^素材无法访问: clip\.mp4: only reachable from this server \(127\.0\.0\.1 is a loopback\/private\/link-local address\); photo\.png: /);
    // Operator stand-ins and local files have no URL at all.
    const local = await failureOf(backend.render(job(withSources(publicTimeline, () => undefined)).input));
    expect(local.code).toBe('MATERIAL_UNREACHABLE');
    expect(local.detail).toContain('a local file or an operator stand-in');
    for (const host of ['http://10.1.2.3/a.mp4', 'http://[::1]:8080/a.mp4', 'http://169.254.169.254/a.mp4', 'http://minio:9000/a.mp4', 'https://files.internal/a.mp4', 'http://localhost/a.mp4']) {
      const err = await failureOf(backend.render(job(withSources(publicTimeline, () => host)).input));
      expect(err.code, host).toBe('MATERIAL_UNREACHABLE');
    }
    expect(fake.calls).toEqual([]);
  });

  it('a public name that resolves to a private address is refused when names are resolved', async () => {
    const fake = createFakeLambdaClient();
    const backend = createLambdaBackend(settings(), fake, { resolveHost: async () => [{ address: '10.0.0.5', family: 4 }] });
    const err = await failureOf(backend.render(job(publicTimeline).input));
    expect(err.detail).toContain('cdn.example.com resolves to 10.0.0.5');
    expect(fake.calls).toEqual([]);
  });

  it('the props carry each used medium with its public URL and nothing the composition does not read', async () => {
    const tl = await lambdaTimeline(publicTimeline);
    for (const ref of Object.values(tl.media)) {
      expect(ref.src).toMatch(/^https:\/\/cdn\.example\.com\/(clip\.mp4|photo\.png)$/);
      expect(ref.candidates).toEqual([]);
      expect(ref.sourceUrl).toBeUndefined();
    }
    expect(tl.warnings).toEqual([]);
    expect(tl.layers).toEqual(publicTimeline.layers);
  });
});

describe('Remotion Lambda backend', () => {
  it('local storage: progress in order up to the end, one download to outPath, a real MP4', async () => {
    const fake = createFakeLambdaClient();
    fake.script({ videoFile: video, polls: 5 });
    const backend = createLambdaBackend(settings(), fake);
    const { input, progress, logs } = job(publicTimeline);
    const result = await backend.render(input);

    expect(result).toMatchObject({ engine: 'lambda', stored: false, widthPx: 64, heightPx: 36, fps: 30, durationFrames: 60, durationSec: 2 });
    expect(result.sizeBytes).toBe(statSync(video).size);
    expect(result.warnings).toBe(publicTimeline.warnings);
    const p = probe(input.outPath);
    expect(p).toMatchObject({ videoCodec: 'h264', width: 64, height: 36, audioCodec: 'aac' });
    // Written beside outPath, renamed when complete: nothing else is left there.
    expect(readdirSync(path.dirname(input.outPath)).filter((f) => f.includes(`job-${jobs}`))).toEqual([`job-${jobs}.mp4`]);

    const stages = progress.map((x) => x.stage);
    expect(stages[0]).toBe('render');
    expect(stages.indexOf('encode')).toBeGreaterThan(stages.lastIndexOf('render'));
    expect(stages.at(-1)).toBe('done');
    expect(progress[0].progress).toBe(STAGE_END.download);
    expect(progress.at(-2)).toMatchObject({ stage: 'encode', progress: STAGE_END.encode });
    expect(progress.at(-1)).toEqual({ stage: 'done', progress: 1 });
    for (let i = 1; i < progress.length; i++) expect(progress[i].progress).toBeGreaterThanOrEqual(progress[i - 1].progress);
    expect(progress.some((x) => x.stage === 'render' && x.progress > STAGE_END.download && x.progress < STAGE_END.render)).toBe(true);

    const [start] = fake.callsOf('renderMedia');
    expect(start.input).toMatchObject({
      region: 'us-east-1',
      composition: 'Draft',
      codec: 'h264',
      audioCodec: 'aac',
      crf: DEFAULT_ENCODE.crf,
      x264Preset: DEFAULT_ENCODE.x264Preset,
      jpegQuality: DEFAULT_ENCODE.jpegQuality,
      imageFormat: 'jpeg',
      pixelFormat: 'yuv420p',
      colorSpace: 'bt709',
      privacy: 'private',
      enableCancellation: true,
      downloadBehavior: { type: 'play-in-browser' },
    });
    const props = start.input.inputProps as { timeline: Timeline };
    expect(Object.values(props.timeline.media).map((m) => m.src).sort()).toEqual(['https://cdn.example.com/clip.mp4', 'https://cdn.example.com/photo.png']);
    expect(fake.callsOf('getRenderProgress').length).toBe(5);
    expect(fake.callsOf('downloadMedia').length).toBe(1);
    expect(fake.callsOf('deleteRender').length).toBe(1);
    expect(fake.callsOf('cancelRender').length).toBe(0);
    expect(logs.join('\n')).toContain('Remotion Lambda draws every frame with the Remotion composition (the compositor is a local engine)');
  });

  it('S3 storage in the same region: Lambda writes our object itself; stored, nothing downloaded', async () => {
    const fake = createFakeLambdaClient();
    fake.script({ videoFile: video });
    const backend = createLambdaBackend(settings({ s3Output: { mode: 'direct' }, privacy: 'no-acl' }), fake);
    const s3Output = { bucket: 'our-videos', key: 'videos/2026/abc123.mp4' };
    const { input, progress } = job(publicTimeline, { s3Output });
    const result = await backend.render(input);
    expect(result.stored).toBe(true);
    expect(result.sizeBytes).toBe(statSync(video).size);
    expect(fake.callsOf('renderMedia')[0].input.outName).toEqual({ bucketName: 'our-videos', key: 'videos/2026/abc123.mp4' });
    expect([...fake.objects.keys()]).toEqual(['our-videos/videos/2026/abc123.mp4']);
    expect(fake.callsOf('downloadMedia')).toEqual([]);
    expect(existsSync(input.outPath)).toBe(false);
    expect(progress.at(-1)).toEqual({ stage: 'done', progress: 1 });
  });

  it('S3 storage elsewhere: through an s3OutputProvider (also given to getRenderProgress), or downloaded when Lambda cannot write there', async () => {
    const fake = createFakeLambdaClient();
    fake.script({ videoFile: video });
    const provider = { mode: 'provider' as const, endpoint: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-west-1', accessKeyId: 'AK', secretAccessKey: 'SK', forcePathStyle: false };
    const s3Output = { bucket: 'our-videos', key: 'videos/x.mp4' };
    const viaProvider = await createLambdaBackend(settings({ s3Output: provider }), fake).render(job(publicTimeline, { s3Output }).input);
    expect(viaProvider.stored).toBe(true);
    const outName = fake.callsOf('renderMedia')[0].input.outName as { s3OutputProvider: Record<string, unknown> };
    expect(outName.s3OutputProvider).toMatchObject({ endpoint: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-west-1', accessKeyId: 'AK' });
    expect(fake.callsOf('getRenderProgress').every((c) => (c.input.s3OutputProvider as { endpoint?: string })?.endpoint === provider.endpoint)).toBe(true);

    const reason = 'S3_ENDPOINT 127.0.0.1 is on this network, out of Lambda\'s reach';
    const { input, logs } = job(publicTimeline, { s3Output });
    const downloaded = await createLambdaBackend(settings({ s3Output: { mode: 'download', reason } }), fake).render(input);
    expect(downloaded.stored).toBe(false);
    expect(probe(input.outPath).videoCodec).toBe('h264');
    expect(logs.join('\n')).toContain(reason);
  });

  const fatalCases: Array<[string, { type: 'renderer' | 'browser' | 'stitcher'; name?: string; message: string }, string, number]> = [
    ['a browser error', { type: 'browser', message: 'Error: Timed out loading image https://cdn.example.com/photo.png\n    at Img (https://remotionlambda-useast1-abc.s3.us-east-1.amazonaws.com/sites/x/bundle.js:1:2)' }, 'RENDER_FAILED', 500],
    ['a failed join', { type: 'stitcher', message: 'Error: ffmpeg exited with code 1 while concatenating s3://remotionlambda-useast1-abc/renders/x/chunks' }, 'ENCODE_FAILED', 500],
    ['a sound failure', { type: 'renderer', message: 'Error: Could not mix audio: aac encoder failed (arn:aws:lambda:us-east-1:123:function:f)' }, 'AUDIO_FAILED', 500],
    ["Lambda's own timeout", { type: 'stitcher', name: 'TimeoutError', message: 'The main function timed out after 120000ms. Logs: https://us-east-1.console.aws.amazon.com/cloudwatch/home' }, 'TIMEOUT', 504],
  ];
  for (const [what, error, code, status] of fatalCases) {
    it(`${what} becomes ${status} ${code}, without AWS URLs or internals, and the rest is cancelled`, async () => {
      const fake = createFakeLambdaClient();
      fake.script({ videoFile: video, polls: 10, fatalAtPoll: 3, fatalError: error });
      const err = await failureOf(createLambdaBackend(settings(), fake).render(job(publicTimeline).input));
      expect(err.code).toBe(code);
      expect(err.status).toBe(status);
      expect(err.detail).not.toMatch(/https?:|s3:\/\/|arn:aws|remotionlambda-|amazonaws/);
      expect(fake.callsOf('cancelRender').length).toBe(1);
      expect(fake.callsOf('downloadMedia')).toEqual([]);
    });
  }

  it('a stall (no progress for the stall time) becomes 504 处理超时 and a cancel is sent', async () => {
    const fake = createFakeLambdaClient();
    fake.script({ videoFile: video, polls: 100, stallFromPoll: 2 });
    const { input, logs } = job(publicTimeline);
    const err = await failureOf(createLambdaBackend(settings({ stallTimeoutMs: 60, pollIntervalMs: 5 }), fake).render(input));
    expect(err.code).toBe('TIMEOUT');
    expect(err.detail).toBe('处理超时: Remotion Lambda made no progress for 0.1 s');
    expect(fake.callsOf('cancelRender').length).toBe(1);
    expect([...fake.renders.values()][0].cancelled).toBe(true);
    expect(logs.join('\n')).toMatch(/sent a cancel to Remotion Lambda render fake\d+ \(TIMEOUT\)/);
  });

  it('an abort (RENDER_TIMEOUT_SECONDS, shutdown) sends a cancel and rethrows the signal\'s reason', async () => {
    const fake = createFakeLambdaClient();
    fake.script({ videoFile: video, polls: 1000 });
    const controller = new AbortController();
    const reason = new GenVideoError('TIMEOUT', 'the job ran longer than RENDER_TIMEOUT_SECONDS');
    const { input } = job(publicTimeline, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'render' && (p.renderedFrames ?? 0) > 0) controller.abort(reason);
      },
    });
    await expect(createLambdaBackend(settings(), fake).render(input)).rejects.toBe(reason);
    expect(fake.callsOf('cancelRender').length).toBe(1);
    expect(fake.callsOf('downloadMedia')).toEqual([]);
    expect(existsSync(input.outPath)).toBe(false);
  });

  it('close() stops a running render (cancelled on Lambda)', async () => {
    const fake = createFakeLambdaClient();
    fake.script({ videoFile: video, polls: 100_000 });
    const backend = createLambdaBackend(settings({ pollIntervalMs: 2 }), fake);
    const running = backend.render(job(publicTimeline).input);
    while (fake.callsOf('getRenderProgress').length < 2) await new Promise((r) => setTimeout(r, 2));
    await backend.close();
    const err = await failureOf(running);
    expect(err.code).toBe('RENDER_FAILED');
    expect(fake.callsOf('cancelRender').length).toBe(1);
  });

  it('losing contact with getRenderProgress fails the render after 5 tries; a render that cannot start is 500', async () => {
    const fake = createFakeLambdaClient();
    fake.script({ videoFile: video });
    const flaky: LambdaClient = { ...fake, getRenderProgress: async () => Promise.reject(new Error('socket hang up https://lambda.us-east-1.amazonaws.com')) };
    const lost = await failureOf(createLambdaBackend(settings(), flaky).render(job(publicTimeline).input));
    expect(lost.code).toBe('RENDER_FAILED');
    expect(lost.detail).toMatch(/lost track of the Remotion Lambda render: socket hang up …$/);

    const refused: LambdaClient = { ...fake, renderMedia: async () => Promise.reject(new Error('ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:1:function:x')) };
    const notStarted = await failureOf(createLambdaBackend(settings(), refused).render(job(publicTimeline).input));
    expect(notStarted.code).toBe('RENDER_FAILED');
    expect(notStarted.detail).toBe('视频渲染失败: Remotion Lambda did not start the render: ResourceNotFoundException: Function not found: …');
  });

  it('maps Remotion\'s progress onto the job\'s shares like local renders', () => {
    const at = (over: Partial<LambdaProgress>) =>
      lambdaStage({ done: false, overallProgress: 0, framesRendered: 0, combinedFrames: 0, ...over } as LambdaProgress, 100);
    expect(at({})).toMatchObject({ stage: 'render', progress: STAGE_END.download, renderedFrames: 0, totalFrames: 100 });
    expect(at({ overallProgress: 0.45, framesRendered: 50 }).progress).toBeCloseTo((STAGE_END.download + STAGE_END.render) / 2);
    expect(at({ overallProgress: 0.9, framesRendered: 100 })).toMatchObject({ stage: 'encode', progress: STAGE_END.audio });
    expect(at({ overallProgress: 0.95, framesRendered: 100, combinedFrames: 50 }).progress).toBeCloseTo((STAGE_END.audio + STAGE_END.encode) / 2);
    expect(lambdaFailure({ type: 'renderer', name: 'Error', message: 'Task timed out after 120.03 seconds' }).code).toBe('TIMEOUT');
    expect(lambdaFailure({ type: 'browser', name: 'Error', message: 'A delayRender() "Loading fonts" was called but not cleared after 28000ms' }).code).toBe('RENDER_FAILED');
  });

  it('the poll interval is ~2 s by default', () => {
    expect(DEFAULT_POLL_INTERVAL_MS).toBe(2000);
  });
});

export type { FakeLambdaClient };
