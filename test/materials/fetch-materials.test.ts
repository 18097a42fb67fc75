import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GenVideoError } from '../../src/errors';
import { cacheKey, fetchMaterials, type FetchMaterialsOptions } from '../../src/materials';
import type { AudioClip, MediaKind, MediaRef, Timeline, Track, VisualLayer } from '../../src/timeline/types';

const FFMPEG = '/usr/bin/ffmpeg';

// ---------------------------------------------------------------------------------------------
// Test media, made here with Debian's ffmpeg.

let mediaDir: string;
const ffmpeg = (...args: string[]) => execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

function makeMedia(dir: string): void {
  const red = ['-f', 'lavfi', '-i', 'color=c=red:s=64x36:d=1'];
  const tone = ['-f', 'lavfi', '-i', 'sine=f=440:d=1'];
  // Tagged BT.709: used as it is (an untagged video gets a tagged copy, see below).
  const bt709 = ['-colorspace', 'bt709', '-color_range', 'tv'];
  ffmpeg(...red, ...tone, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', ...bt709, '-c:a', 'aac', '-shortest', path.join(dir, 'clip.mp4'));
  ffmpeg(...red, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', ...bt709, path.join(dir, 'silent.mp4'));
  ffmpeg(...red, ...tone, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path.join(dir, 'untagged.mp4'));
  ffmpeg(...tone, '-c:a', 'aac', path.join(dir, 'tone.m4a'));
  ffmpeg(...tone, path.join(dir, 'tone.wav'));
  for (const ext of ['png', 'jpg', 'webp', 'gif']) {
    ffmpeg('-f', 'lavfi', '-i', 'color=c=blue:s=40x30', '-frames:v', '1', path.join(dir, `pic.${ext}`));
  }
  writeFileSync(path.join(dir, 'garbage.mp4'), 'this is not a video, it is an error page');
}

// ---------------------------------------------------------------------------------------------
// A media server on 127.0.0.1 that counts requests and misbehaves on demand.

let server: http.Server;
let base: string;
let port: number;
const hits = new Map<string, number>();
const flakyFailures = new Map<string, number>();
const totalHits = () => [...hits.values()].reduce((a, b) => a + b, 0);

function sendFile(res: http.ServerResponse, name: string, contentType?: string): void {
  const file = path.join(mediaDir, name);
  if (!existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-length': statSync(file).size, ...(contentType ? { 'content-type': contentType } : {}) });
  createReadStream(file).pipe(res);
}

beforeAll(async () => {
  mediaDir = mkdtempSync(path.join(os.tmpdir(), 'materials-media-'));
  makeMedia(mediaDir);
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = url.pathname + url.search;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    const [, route, name = ''] = url.pathname.split('/');
    switch (route) {
      case 'media':
        return sendFile(res, name);
      case 'slow': // answers after a pause, so concurrent requests overlap
        return void setTimeout(() => sendFile(res, name), 200);
      case 'flaky': {
        // fails with 503 the first time each name is asked for
        if (!flakyFailures.has(name)) {
          flakyFailures.set(name, 1);
          return void res.writeHead(503).end('try later');
        }
        return sendFile(res, name);
      }
      case 'noext': // no extension in the URL: the type comes from the bytes
        return sendFile(res, name, 'application/octet-stream');
      case 'hang':
        return; // never answers
      case 'stall': {
        res.writeHead(200, { 'content-length': '100000' });
        res.write(Buffer.alloc(1000));
        return; // the rest never comes
      }
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(mediaDir, { recursive: true, force: true });
});

let cacheDir: string;
beforeEach(() => {
  hits.clear();
  flakyFailures.clear();
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'materials-cache-'));
  return () => rmSync(cacheDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Timelines that use the given media.

const still = (value: number): Track => ({ frames: [0], values: [value] });

function timelineOf(media: MediaRef[], extra: MediaRef[] = []): Timeline {
  const layers: VisualLayer[] = [];
  const audio: AudioClip[] = [];
  for (const ref of media) {
    if (ref.kind === 'audio') {
      audio.push({ id: `a-${ref.id}`, mediaId: ref.id, fromFrame: 0, durationFrames: 30, sourceStartSec: 0, playbackRate: 1, gain: still(1) });
      continue;
    }
    const base = {
      id: `seg-${ref.id}`,
      fromFrame: 0,
      durationFrames: 30,
      boxPx: { width: 64, height: 36 },
      geometry: {
        centerXPx: still(32),
        centerYPx: still(18),
        scaleX: still(1),
        scaleY: still(1),
        rotationDeg: still(0),
        opacity: still(1),
        flipX: false,
        flipY: false,
      },
      mediaId: ref.id,
    };
    if (ref.kind === 'video') layers.push({ ...base, kind: 'video', sourceStartSec: 0, playbackRate: 1 });
    else if (ref.kind === 'gif') layers.push({ ...base, kind: 'gif' });
    else layers.push({ ...base, kind: 'image' });
  }
  return {
    widthPx: 64,
    heightPx: 36,
    fps: 30,
    durationFrames: 30,
    layers,
    audio,
    media: Object.fromEntries([...media, ...extra].map((m) => [m.id, m])),
    warnings: [],
  };
}

const ref = (id: string, kind: MediaKind, ...candidates: string[]): MediaRef => ({ id, kind, name: `${id}-name`, candidates });

const opts = (extra: Partial<FetchMaterialsOptions> = {}): FetchMaterialsOptions => ({
  cacheDir,
  allowPrivateNetwork: true,
  retryDelayMs: 10,
  ...extra,
});

async function rejection(p: Promise<unknown>): Promise<GenVideoError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GenVideoError);
    expect((e as GenVideoError).code).toBe('MATERIAL_UNREACHABLE');
    return e as GenVideoError;
  }
  throw new Error('expected MATERIAL_UNREACHABLE');
}

const partFiles = () => readdirSync(cacheDir).filter((f) => f.endsWith('.part'));
/** Every file in the cache, its folders included (content/ holds the copies URLs share). */
const cachedFiles = () => readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

// ---------------------------------------------------------------------------------------------

describe('fetchMaterials', () => {
  it('downloads every used material into the cache and probes it', async () => {
    const timeline = timelineOf(
      [
        ref('v', 'video', `${base}/media/clip.mp4`),
        ref('mute', 'video', `${base}/media/silent.mp4`),
        ref('a', 'audio', `${base}/media/tone.m4a`),
        ref('w', 'audio', `${base}/media/tone.wav`),
        ref('png', 'photo', `${base}/media/pic.png`),
        ref('jpg', 'photo', `${base}/media/pic.jpg`),
        ref('webp', 'photo', `${base}/media/pic.webp`),
        ref('gif', 'gif', `${base}/media/pic.gif`),
      ],
      [ref('unused', 'video', `${base}/media/clip.mp4?unused`)],
    );
    const progress: Array<[number, number]> = [];
    const out = await fetchMaterials(timeline, opts({ onProgress: (d, t) => progress.push([d, t]) }));

    const v = out.media.v;
    expect(v.src).toBe(path.join(cacheDir, `${cacheKey(`${base}/media/clip.mp4`)}.mp4`));
    expect(path.isAbsolute(v.src!)).toBe(true);
    expect(v).toMatchObject({ widthPx: 64, heightPx: 36, hasAudio: true });
    expect(out.media.mute).toMatchObject({ widthPx: 64, heightPx: 36, hasAudio: false });
    expect(out.media.a.hasAudio).toBe(true);
    expect(out.media.w.hasAudio).toBe(true);
    for (const id of ['png', 'jpg', 'webp', 'gif']) {
      expect(out.media[id]).toMatchObject({ widthPx: 40, heightPx: 30 });
      expect(out.media[id].hasAudio).toBeUndefined();
      expect(existsSync(out.media[id].src!)).toBe(true);
    }
    expect(out.media.unused.src).toBeUndefined();
    expect(hits.has('/media/clip.mp4?unused')).toBe(false);

    expect(progress[0]).toEqual([0, 8]);
    expect(progress.at(-1)).toEqual([8, 8]);
    expect(progress).toHaveLength(9);
    // the input is left alone
    expect(timeline.media.v.src).toBeUndefined();
    expect(partFiles()).toEqual([]);
  });

  it('keeps sizes the draft already gives', async () => {
    const timeline = timelineOf([{ ...ref('v', 'video', `${base}/media/clip.mp4`), widthPx: 1920, heightPx: 1080 }]);
    const out = await fetchMaterials(timeline, opts());
    expect(out.media.v).toMatchObject({ widthPx: 1920, heightPx: 1080, hasAudio: true });
  });

  it('reuses the cache on the next call', async () => {
    const timeline = timelineOf([ref('v', 'video', `${base}/media/clip.mp4`), ref('p', 'photo', `${base}/noext/pic.png`)]);
    const first = await fetchMaterials(timeline, opts());
    expect(totalHits()).toBe(2);
    const second = await fetchMaterials(timeline, opts());
    expect(totalHits()).toBe(2);
    expect(second.media).toEqual(first.media);
  });

  it('shares one download between concurrent requests for the same URL', async () => {
    const url = `${base}/slow/clip.mp4`;
    const timeline = timelineOf([ref('v1', 'video', url), ref('v2', 'video', url)]);
    const [a, b] = await Promise.all([fetchMaterials(timeline, opts()), fetchMaterials(timeline, opts())]);
    expect(hits.get('/slow/clip.mp4')).toBe(1);
    expect(a.media.v1.src).toBe(b.media.v2.src);
  });

  it('keeps one copy on disk of the same bytes behind different URLs (query strings)', async () => {
    const urls = ['a=1', 'a=2', 'sig=xyz'].map((q) => `${base}/media/clip.mp4?${q}`);
    const timeline = timelineOf([...urls.map((u, i) => ref(`v${i}`, 'video', u)), ref('s', 'video', `${base}/media/silent.mp4`)]);
    const out = await fetchMaterials(timeline, opts());
    expect(totalHits()).toBe(4);
    const [a, b, c] = urls.map((_, i) => statSync(out.media[`v${i}`].src!));
    expect(new Set([a.ino, b.ino, c.ino]).size).toBe(1);
    expect(statSync(out.media.s.src!).ino).not.toBe(a.ino);
    // Bytes on disk: each copy once (the URL names and content/ are links to it).
    const copies = new Map<number, number>();
    const walk = (dir: string): void =>
      readdirSync(dir, { withFileTypes: true }).forEach((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else copies.set(statSync(p).ino, statSync(p).size);
      });
    walk(cacheDir);
    expect([...copies.values()].reduce((x, y) => x + y, 0)).toBe(statSync(path.join(mediaDir, 'clip.mp4')).size + statSync(path.join(mediaDir, 'silent.mp4')).size);
    // Each name still reads as the whole file.
    expect(statSync(out.media.v2.src!).size).toBe(statSync(path.join(mediaDir, 'clip.mp4')).size);
  });

  it('names an extension-less download by its content', async () => {
    const out = await fetchMaterials(timelineOf([ref('p', 'photo', `${base}/noext/pic.png`)]), opts());
    expect(out.media.p.src).toBe(path.join(cacheDir, `${cacheKey(`${base}/noext/pic.png`)}.png`));
    const jpg = await fetchMaterials(timelineOf([ref('j', 'photo', `${base}/noext/pic.jpg?w=800`)]), opts());
    expect(jpg.media.j.src?.endsWith('.jpg')).toBe(true);
  });

  it('retries a transient 503', async () => {
    const out = await fetchMaterials(timelineOf([ref('v', 'video', `${base}/flaky/clip.mp4`)]), opts());
    expect(hits.get('/flaky/clip.mp4')).toBe(2);
    expect(out.media.v.hasAudio).toBe(true);
  });

  it('does not retry a 404, and names the material', async () => {
    const e = await rejection(fetchMaterials(timelineOf([ref('v', 'video', `${base}/media/nope.mp4`)]), opts()));
    expect(hits.get('/media/nope.mp4')).toBe(1);
    expect(e.message).toBe(`素材无法访问: v-name: HTTP 404 (${base}/media/nope.mp4)`);
  });

  it('tries the next candidate when one fails', async () => {
    const out = await fetchMaterials(
      timelineOf([ref('v', 'video', `${base}/media/nope.mp4`, 'C:/Users/me/clip.mp4', `${base}/media/clip.mp4`)]),
      opts(),
    );
    expect(out.media.v.src?.endsWith('.mp4')).toBe(true);
  });

  it('lists every failed candidate', async () => {
    const e = await rejection(
      fetchMaterials(timelineOf([ref('v', 'video', `${base}/media/nope.mp4`, 'C:/Users/me/clip.mp4', 'assets/clip.mp4')]), opts()),
    );
    expect(e.reason).toBe(
      `v-name: HTTP 404 (${base}/media/nope.mp4); local files are not allowed (C:/Users/me/clip.mp4); ` +
        'local files are not allowed (assets/clip.mp4)',
    );
  });

  it('refuses private addresses unless allowed', async () => {
    const e = await rejection(
      fetchMaterials(timelineOf([ref('v', 'video', `${base}/media/clip.mp4`)]), opts({ allowPrivateNetwork: false })),
    );
    expect(e.reason).toContain('v-name: private network address refused');
    expect(totalHits()).toBe(0);
  });

  it('refuses private addresses even when the file is already cached', async () => {
    const timeline = timelineOf([ref('v', 'video', `${base}/media/clip.mp4`)]);
    await fetchMaterials(timeline, opts());
    await rejection(fetchMaterials(timeline, opts({ allowPrivateNetwork: false })));
  });

  it('caps the size and leaves no partial file', async () => {
    const e = await rejection(
      fetchMaterials(timelineOf([ref('v', 'video', `${base}/media/clip.mp4`)]), opts({ maxBytes: 1000 })),
    );
    expect(e.reason).toContain('larger than');
    expect(hits.get('/media/clip.mp4')).toBe(1); // too large is not worth retrying
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('times out (retrying, since timeouts are transient) and leaves no partial file', async () => {
    const e = await rejection(
      fetchMaterials(timelineOf([ref('v', 'video', `${base}/stall/clip.mp4`)]), opts({ timeoutMs: 200, retries: 1 })),
    );
    expect(e.reason).toContain('timed out');
    expect(hits.get('/stall/clip.mp4')).toBe(2);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('reads colour tags, and makes an untagged video a copy tagged BT.601 (its sound kept)', async () => {
    const out = await fetchMaterials(
      timelineOf([ref('t', 'video', `${base}/media/clip.mp4`), ref('u', 'video', `${base}/media/untagged.mp4`)]),
      opts(),
    );
    expect(out.media.t.color).toEqual({ matrix: 'bt709', range: 'tv' });
    expect(out.media.t.src).toBe(path.join(cacheDir, `${cacheKey(`${base}/media/clip.mp4`)}.mp4`));
    const u = out.media.u;
    expect(u.color).toEqual({ matrix: 'bt601', range: 'tv' });
    expect(u.src).toMatch(/\.bt601\.mp4$/);
    expect(u.hasAudio).toBe(true);
    const streams = JSON.parse(
      execFileSync('/usr/bin/ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', u.src!]).toString(),
    ).streams as { codec_type: string; color_space?: string }[];
    expect(streams.map((st) => st.codec_type)).toEqual(['video', 'audio']);
    expect(streams[0].color_space).toBe('smpte170m');
    // Made once per file.
    const again = await fetchMaterials(timelineOf([ref('u', 'video', `${base}/media/untagged.mp4`)]), opts());
    expect(again.media.u.src).toBe(u.src);
  });

  it('uses local paths only when allowed, and only existing files', async () => {
    const local = path.join(mediaDir, 'clip.mp4');
    const timeline = timelineOf([ref('v', 'video', local)]);
    const refused = await rejection(fetchMaterials(timeline, opts()));
    expect(refused.reason).toContain('local files are not allowed');

    const out = await fetchMaterials(timeline, opts({ allowLocalFiles: true }));
    expect(out.media.v.src).toBe(local);
    expect(out.media.v.hasAudio).toBe(true);

    const missing = await rejection(
      fetchMaterials(timelineOf([ref('m', 'video', path.join(mediaDir, 'missing.mp4'))]), opts({ allowLocalFiles: true })),
    );
    expect(missing.reason).toContain('m-name: file not found');
  });

  it('prefers overrides, by material id and by file name (Windows paths too)', async () => {
    const png = path.join(mediaDir, 'pic.png');
    const wav = path.join(mediaDir, 'tone.wav');
    const timeline = timelineOf([
      ref('by-id', 'photo', `${base}/media/pic.jpg`),
      ref('by-name', 'audio', 'C:\\Users\\me\\Music\\背景音乐.wav'),
      ref('by-url-name', 'video', `${base}/media/somewhere/clip%20one.mp4`),
    ]);
    const out = await fetchMaterials(
      timeline,
      opts({ overrides: { 'by-id': png, '背景音乐.wav': wav, 'clip one.mp4': path.join(mediaDir, 'silent.mp4') } }),
    );
    expect(out.media['by-id'].src).toBe(png);
    expect(out.media['by-name']).toMatchObject({ src: wav, hasAudio: true });
    expect(out.media['by-url-name'].hasAudio).toBe(false);
    expect(totalHits()).toBe(0);
  });

  it('rejects a file that is not media, and forgets it', async () => {
    const e = await rejection(fetchMaterials(timelineOf([ref('g', 'video', `${base}/media/garbage.mp4`)]), opts()));
    expect(e.reason).toBe(`g-name: not a readable media file (${base}/media/garbage.mp4)`);
    expect(cachedFiles()).toEqual([]);
  });

  it('stops on the first failure and leaves no partial files', async () => {
    const timeline = timelineOf([
      ref('bad', 'video', `${base}/media/nope.mp4`),
      ref('hanging', 'video', `${base}/stall/clip.mp4`),
    ]);
    const started = Date.now();
    await rejection(fetchMaterials(timeline, opts({ timeoutMs: 10_000 })));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(partFiles()).toEqual([]);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('job cancelled');
    setTimeout(() => controller.abort(reason), 150);
    await expect(
      fetchMaterials(timelineOf([ref('h', 'video', `${base}/stall/clip.mp4`)]), opts({ signal: controller.signal })),
    ).rejects.toBe(reason);
    expect(partFiles()).toEqual([]);
  });

  it('needs some location', async () => {
    const e = await rejection(fetchMaterials(timelineOf([ref('x', 'video')]), opts()));
    expect(e.reason).toBe('x-name: the draft gives no location for this file');
  });

  it('copes with a timeline without media', async () => {
    const timeline = timelineOf([]);
    expect(await fetchMaterials(timeline, opts())).toEqual(timeline);
  });
});
