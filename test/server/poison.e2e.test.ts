// Poison drafts on the real server process: absurd numbers answer 400 with the broken rule at once,
// the server keeps answering, and nothing of them survives a crash and a restart.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DraftBuilder } from '../helpers/draft-builder';
import { tempDir } from '../helpers/media';
import { CANVAS, copyClip, makeMedia, startFixtures, type Fixtures } from './helpers/fixtures';
import { freePort, makeDataDir, removeDir, startServer, type ServerProcess } from './helpers/server-process';

let media: ReturnType<typeof tempDir>;
let fx: Fixtures;
let dataDir: string;
let port: number;
let srv: ServerProcess | undefined;

/** A PNG whose header says 30000×30000 (900 MP): what a decoder would allocate is in the header. */
function hugePngHeader(file: string): string {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30_000, 0);
  ihdr.writeUInt32BE(30_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  writeFileSync(
    file,
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]),
  );
  return path.basename(file);
}

beforeAll(async () => {
  media = tempDir('gen-video-poison-');
  makeMedia(media.dir);
  fx = await startFixtures(media.dir);
  dataDir = makeDataDir();
  port = await freePort();
  srv = await startServer({ SHUTDOWN_GRACE_SECONDS: '1' }, { dataDir, port });
});

afterAll(async () => {
  await srv?.kill();
  await fx?.close();
  media?.cleanup();
  if (dataDir) removeDir(dataDir);
});

it('answers absurd drafts 400 with the broken rule, keeps serving, and they stay dead after kill -9 and a restart', async () => {
  const s = srv!;
  const draft = (name: string, o: { startUs?: number; durationUs?: number; width?: number; fps?: number; file?: string; photo?: boolean }) => {
    const b = new DraftBuilder({ ...CANVAS, width: o.width ?? CANVAS.width, fps: o.fps ?? CANVAS.fps });
    const id = o.photo
      ? b.video(fx.mediaUrl(o.file!), { width: 0, height: 0, durationUs: 0, photo: true, name: o.file })
      : b.video(fx.mediaUrl(copyClip(media.dir, `${name}.mp4`)), { width: 160, height: 90, durationUs: 2_000_000 });
    b.track('video', [{ materialId: id, startUs: o.startUs ?? 0, durationUs: o.durationUs ?? 1_000_000 }]);
    return fx.setDraft(`${name}.json`, b.toJSON());
  };
  const cases: [string, string, RegExp][] = [
    ['endless', draft('endless', { durationUs: 1e308 }), /^草稿格式无效: segment .* after the longest video allowed \(4 h\) \(limit MAX_VIDEO_SECONDS\)$/],
    ['ages', draft('ages', { durationUs: 1e12 }), /^草稿格式无效: .*MAX_VIDEO_SECONDS/],
    ['late', draft('late', { startUs: 1e308 }), /^草稿格式无效: .*MAX_VIDEO_SECONDS/],
    ['wide', draft('wide', { width: 100_000 }), /^草稿格式无效: canvas width 100000 px is more than 4096 px \(limit MAX_CANVAS_SIDE\)$/],
    ['fast', draft('fast', { fps: 100_000 }), /^草稿格式无效: fps 100000 is more than 120 \(limit MAX_FPS\)$/],
    ['huge-png', draft('huge-png', { photo: true, file: hugePngHeader(path.join(media.dir, 'huge.png')) }), /^素材无法访问: huge.png: 30000×30000 is 900 megapixels, more than 100 \(limit MAX_PICTURE_MEGAPIXELS\)$/],
  ];
  const ids: string[] = [];
  for (const [name, url, rule] of cases) {
    const started = Date.now();
    const res = await s.post('/v1/gen_video', { draft_url: url });
    const body = await res.json();
    expect({ name, status: res.status, detail: body.detail }).toEqual({ name, status: 400, detail: expect.stringMatching(rule) });
    expect(body.detail).not.toMatch(/127\.0\.0\.1|localhost|\/tmp\//);
    expect(Date.now() - started).toBeLessThan(10_000);
    const health = await s.fetch('/healthz', { signal: AbortSignal.timeout(2000) });
    expect(health.status).toBe(200);
    const status = await (await s.post('/v1/gen_video_status', { draft_url: url })).json();
    ids.push(status.task_id);
  }

  // A crash and a restart: the server comes up, and the refused drafts stay refused (no re-run).
  await s.kill();
  srv = await startServer({ SHUTDOWN_GRACE_SECONDS: '1' }, { dataDir, port });
  expect(srv.output()).not.toMatch(/re-queued/);
  for (const id of ids) expect(await (await srv.fetch(`/v1/gen_video/${id}`)).json()).toMatchObject({ status: 'failed', http_status: 400 });
  expect((await srv.fetch('/healthz')).status).toBe(200);
});
