// A local HTTP server for the server tests: drafts (changeable at run time), generated media,
// media held back until released (to keep a job busy), redirects and a callback receiver.
import { copyFileSync, createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DraftBuilder } from '../../helpers/draft-builder';
import { makeColorClip } from '../../helpers/media';

export interface CallbackHit {
  body: unknown;
  at: number;
}

export interface Fixtures {
  baseUrl: string;
  dir: string;
  /** Serves `json` at /drafts/<name>; returns its URL. */
  setDraft(name: string, json: unknown): string;
  mediaUrl(file: string): string;
  /** /held/<file>: answers only once released. */
  heldUrl(file: string): string;
  /** /trickle/<name>: a byte a second, never finishing. */
  trickleUrl(name: string): string;
  release(file: string): void;
  /** Requests seen, by path. */
  hits(pathname: string): number;
  /** POSTs received at /callback/<name>, the first `failFirst` answered 500. */
  callbackUrl(name: string, failFirst?: number): string;
  callbacks(name: string): CallbackHit[];
  waitForCallbacks(name: string, count: number, timeoutMs?: number): Promise<CallbackHit[]>;
  redirectUrl(to: string): string;
  close(): Promise<void>;
}

export const CANVAS = { width: 160, height: 90, fps: 10 };

/** A tiny renderable draft: one 1 s video segment on a 160×90, 10 fps canvas. */
export function tinyDraft(videoUrl: string, o: { durationUs?: number; alpha?: number } = {}): Record<string, unknown> {
  const b = new DraftBuilder(CANVAS);
  const durationUs = o.durationUs ?? 1_000_000;
  const id = b.video(videoUrl, { width: 160, height: 90, durationUs: 2_000_000 });
  b.track('video', [{ materialId: id, startUs: 0, durationUs, clip: { alpha: o.alpha ?? 1 } }]);
  return b.toJSON();
}

/**
 * A draft that keeps a render busy for a while: a 640×360 picture zooming for `seconds` under a
 * caption (ffmpeg moves the picture; the browser draws the caption).
 */
export function busyDraft(photoUrl: string, seconds: number, caption: string, captionY = -0.7): Record<string, unknown> {
  const b = new DraftBuilder({ width: 640, height: 360, fps: 30 });
  const photo = b.video(photoUrl, { width: 640, height: 360, durationUs: 0, photo: true });
  const us = seconds * 1e6;
  b.track('video', [
    {
      materialId: photo,
      startUs: 0,
      durationUs: us,
      keyframes: [{ property_type: 'KFTypeScaleX', keyframe_list: [{ time_offset: 0, values: [1] }, { time_offset: us, values: [1.5] }] }],
    },
  ]);
  b.track('text', [{ materialId: b.text(caption, { size: 10 }), startUs: 0, durationUs: us, clip: { transform: { x: 0, y: captionY } } }]);
  return b.toJSON();
}

/** A draft with tracks but nothing to draw. */
export function emptyDraft(): Record<string, unknown> {
  return new DraftBuilder(CANVAS).toJSON();
}

export async function startFixtures(dir: string): Promise<Fixtures> {
  const drafts = new Map<string, string>();
  const hits = new Map<string, number>();
  const held = new Map<string, (() => void)[]>();
  const released = new Set<string>();
  const callbackHits = new Map<string, CallbackHit[]>();
  const callbackFailures = new Map<string, number>();
  const callbackWaiters: (() => void)[] = [];

  const sendFile = (res: http.ServerResponse, file: string) => {
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Length': statSync(file).size, 'Content-Type': file.endsWith('.mp4') ? 'video/mp4' : 'application/octet-stream' });
    createReadStream(file).pipe(res);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const pathname = decodeURIComponent(url.pathname);
    hits.set(pathname, (hits.get(pathname) ?? 0) + 1);
    const [, kind, ...rest] = pathname.split('/');
    const name = rest.join('/');

    if (kind === 'drafts') {
      const json = drafts.get(name);
      if (json === undefined) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such draft');
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(json);
    }
    if (kind === 'media') return sendFile(res, path.join(dir, name));
    if (kind === 'held') {
      // Headers and the first bytes now, the rest once released: the download is under way and stuck.
      const file = path.join(dir, name);
      if (!existsSync(file)) return void res.writeHead(404).end('not found');
      const data = readFileSync(file);
      res.writeHead(200, { 'Content-Length': data.length, 'Content-Type': 'video/mp4' });
      res.write(data.subarray(0, 1024));
      const finish = () => res.end(data.subarray(1024));
      if (released.has(name)) return finish();
      const list = held.get(name) ?? [];
      list.push(finish);
      held.set(name, list);
      return;
    }
    if (kind === 'trickle') {
      // A byte a second, for ever: a material server that never quite stops.
      res.writeHead(200, { 'Content-Length': 10_000_000, 'Content-Type': 'video/mp4' });
      const timer = setInterval(() => res.write(Buffer.alloc(1)), 1000);
      req.on('close', () => clearInterval(timer));
      return;
    }
    if (kind === 'redirect') {
      return void res.writeHead(302, { Location: url.searchParams.get('to') ?? '/' }).end();
    }
    if (kind === 'callback' && req.method === 'POST') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const failLeft = callbackFailures.get(name) ?? 0;
        const list = callbackHits.get(name) ?? [];
        let parsed: unknown = body;
        try {
          parsed = JSON.parse(body);
        } catch {
          // keep the text
        }
        list.push({ body: parsed, at: Date.now() });
        callbackHits.set(name, list);
        callbackWaiters.splice(0).forEach((w) => w());
        if (failLeft > 0) {
          callbackFailures.set(name, failLeft - 1);
          return void res.writeHead(500).end('try again');
        }
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(404).end('not found');
  });
  // All interfaces: the private-network tests reach it through the machine's own address too.
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    dir,
    setDraft(name, json) {
      drafts.set(name, JSON.stringify(json));
      return `${baseUrl}/drafts/${name}`;
    },
    mediaUrl: (file) => `${baseUrl}/media/${file}`,
    heldUrl: (file) => `${baseUrl}/held/${file}`,
    trickleUrl: (name) => `${baseUrl}/trickle/${name}`,
    release(file) {
      released.add(file);
      (held.get(file) ?? []).splice(0).forEach((send) => send());
    },
    hits: (p) => hits.get(p) ?? 0,
    callbackUrl(name, failFirst = 0) {
      callbackFailures.set(name, failFirst);
      return `${baseUrl}/callback/${name}`;
    },
    callbacks: (name) => callbackHits.get(name) ?? [],
    async waitForCallbacks(name, count, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while ((callbackHits.get(name)?.length ?? 0) < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} callbacks at ${name}, got ${callbackHits.get(name)?.length ?? 0}`);
        await new Promise<void>((r) => {
          callbackWaiters.push(r);
          setTimeout(r, 200);
        });
      }
      return callbackHits.get(name)!;
    },
    redirectUrl: (to) => `${baseUrl}/redirect?to=${encodeURIComponent(to)}`,
    close: () =>
      new Promise((resolve) => {
        for (const file of held.keys()) released.add(file);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Generates the media files the tests use into `dir`. */
export function makeMedia(dir: string): void {
  makeColorClip(path.join(dir, 'red.mp4'), { color: 'red', width: 160, height: 90, durationSec: 2, fps: 10 });
  writeFileSync(path.join(dir, 'garbage.mp4'), Buffer.from('this is not a video at all'.repeat(100)));
}

/** Copies of one clip under other names, so each test downloads (and renders) its own material. */
export function copyClip(dir: string, name: string): string {
  copyFileSync(path.join(dir, 'red.mp4'), path.join(dir, name));
  return name;
}
