/**
 * GET/HEAD /videos/<key>?expires=<unix>&sig=<hmac>: local storage's signed, expiring video URLs,
 * with byte ranges (players seek): 206 / 416, Accept-Ranges, If-Range.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { ApiError } from '../http';
import type { LocalStorage } from '../storage/local';
import { verify } from '../storage/signing';
import { SAFE_KEY } from '../storage/types';

type Range = { start: number; end: number } | 'unsatisfiable' | undefined;

/** One `bytes=` range against a file of `size` bytes; undefined = ignore the header and send everything. */
export function parseRange(header: string | undefined, size: number): Range {
  if (!header) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined; // several ranges or another unit: a full 200 is a valid answer
  const [, first, last] = m;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}

export function videoRoutes(storage: LocalStorage): Hono {
  const app = new Hono();
  app.on(['GET', 'HEAD'], '/:key', async (c) => {
    const key = c.req.param('key');
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new ApiError(404, '视频不存在');
    const verdict = verify(storage.secret, key, c.req.query('expires'), c.req.query('sig'));
    if (verdict === 'expired') throw new ApiError(403, '链接已过期，请重新请求 video_url');
    if (verdict !== 'ok') throw new ApiError(403, '链接签名无效');

    const file = storage.pathOf(key);
    let size: number;
    let mtime: Date;
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
      mtime = st.mtime;
    } catch {
      throw new ApiError(404, '视频不存在');
    }
    const etag = `"${size.toString(16)}-${Math.floor(mtime.getTime()).toString(16)}"`;
    const headers: Record<string, string> = {
      'Content-Type': 'video/mp4',
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Last-Modified': mtime.toUTCString(),
      'Cache-Control': 'private, max-age=3600',
      'Content-Disposition': `inline; filename="${key}"`,
    };

    const ifRange = c.req.header('if-range');
    const rangeHeader = ifRange && ifRange !== etag && ifRange !== headers['Last-Modified'] ? undefined : c.req.header('range');
    const range = parseRange(rangeHeader, size);
    if (range === 'unsatisfiable') {
      return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' });
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const length = size === 0 ? 0 : end - start + 1;
    headers['Content-Length'] = String(length);
    const status = range ? 206 : 200;
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    if (c.req.method === 'HEAD' || length === 0) return c.body(null, status, headers);
    const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
    return c.body(body, status, headers);
  });
  return app;
}
