// STORAGE=s3 against a real S3-compatible server process (s3rver), with a real render.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/media';
import { probe } from '../helpers/probe';
import { makeMedia, startFixtures, tinyDraft, type Fixtures } from './helpers/fixtures';
import { freePort, removeDir, startServer, type ServerProcess } from './helpers/server-process';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUCKET = 'gen-video-test';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }; // s3rver's fixed pair

let media: ReturnType<typeof tempDir>;
let s3dir: ReturnType<typeof tempDir>;
let fx: Fixtures;
let s3: ChildProcess;
let endpoint: string;
let srv: ServerProcess;

async function startS3rver(): Promise<void> {
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  s3 = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/s3rver/bin/s3rver.js'), '-d', s3dir.dir, '-a', '127.0.0.1', '-p', String(port), '--silent', '--configure-bucket', BUCKET],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${endpoint}/`);
      await res.arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline || s3.exitCode !== null) throw new Error('s3rver did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

beforeAll(async () => {
  media = tempDir('gen-video-s3-media-');
  s3dir = tempDir('gen-video-s3rver-');
  makeMedia(media.dir);
  fx = await startFixtures(media.dir);
  await startS3rver();
  srv = await startServer({
    STORAGE: 's3',
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    S3_KEY_PREFIX: 'renders/',
  });
});

afterAll(async () => {
  expect(await srv?.stop()).toBe(0);
  s3?.kill('SIGTERM');
  await fx?.close();
  media?.cleanup();
  s3dir?.cleanup();
  if (srv) removeDir(srv.dataDir);
});

it('uploads the video to the bucket and answers a presigned URL that downloads, seeks, and expires', async () => {
  const draftUrl = fx.setDraft('s3.json', tinyDraft(fx.mediaUrl('red.mp4')));
  const res = await srv.post('/v1/gen_video', { draft_url: draftUrl });
  const body = await res.json();
  expect(res.status).toBe(200);
  const url = new URL(body.video_url);
  expect(url.origin).toBe(endpoint);
  expect(url.pathname).toBe(`/${BUCKET}/renders/${body.task_id}.mp4`);
  expect(url.searchParams.get('X-Amz-Signature')).toBeTruthy();
  expect(Number(url.searchParams.get('X-Amz-Expires'))).toBe(604800);

  // The object is really in the bucket.
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `renders/${body.task_id}.mp4` }));
  expect(head.ContentType).toBe('video/mp4');
  client.destroy();

  // The presigned URL downloads a playable video, and seeks.
  const video = await fetch(body.video_url);
  expect(video.status).toBe(200);
  const bytes = Buffer.from(await video.arrayBuffer());
  expect(bytes.length).toBe(head.ContentLength);
  const file = path.join(media.dir, 's3.mp4');
  writeFileSync(file, bytes);
  expect(probe(file)).toMatchObject({ width: 160, height: 90, videoCodec: 'h264' });
  const part = await fetch(body.video_url, { headers: { Range: 'bytes=0-9' } });
  expect(part.status).toBe(206);
  expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(0, 10))).toBe(true);

  // Refused by the store: an expired presigned URL, and one for an unknown key.
  // (s3rver does not recompute SigV4 signatures; real S3 also refuses an altered X-Amz-Signature.)
  const expired = new URL(url);
  expired.searchParams.set('X-Amz-Date', '20200101T000000Z');
  const wrongKey = new URL(url);
  wrongKey.searchParams.set('X-Amz-Credential', url.searchParams.get('X-Amz-Credential')!.replace('S3RVER', 'NOBODY'));
  for (const bad of [expired, wrongKey]) {
    const refused = await fetch(bad);
    expect(refused.status).toBe(403);
    await refused.arrayBuffer();
  }

  // Same draft again: the stored object is found, same URL, no render; the local /videos route is off.
  const again = await (await srv.post('/v1/gen_video', { draft_url: draftUrl })).json();
  expect(again).toEqual(body);
  expect((await srv.fetch(`/videos/${body.task_id}.mp4`)).status).toBe(404);
});
