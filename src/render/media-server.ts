import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.m4a': 'audio/mp4',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.aac': 'audio/aac',
  '.ogg': 'audio/ogg',
  '.flac': 'audio/flac',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
};

export interface MediaServer {
  /** URL under which the browser and Remotion's compositor can read a local file. */
  urlFor(localPath: string): string;
  close(): Promise<void>;
}

/**
 * Serves local material files to the render on 127.0.0.1. Only registered files are served
 * (by an opaque index), with ranges for media elements and CORS for fetch-based decoders (GIF).
 */
export const startMediaServer = async (): Promise<MediaServer> => {
  const files: string[] = [];
  const indexOf = new Map<string, number>();

  const server = http.createServer((req, res) => {
    const match = /^\/m\/(\d+)\//.exec(req.url ?? '');
    const file = match ? files[Number(match[1])] : undefined;
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      res.writeHead(404).end();
      return;
    }
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = size - 1;
    if (range && (range[1] || range[2])) {
      start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start > end || start >= size) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
        return;
      }
      res.writeHead(206, {
        'Content-Type': type,
        'Content-Length': end - start + 1,
        'Content-Range': `bytes ${start}-${end}/${size}`,
        'Accept-Ranges': 'bytes',
      });
    } else {
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': size, 'Accept-Ranges': 'bytes' });
    }
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    createReadStream(file, { start, end }).pipe(res);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    urlFor(localPath) {
      const abs = path.resolve(localPath);
      let index = indexOf.get(abs);
      if (index === undefined) {
        index = files.push(abs) - 1;
        indexOf.set(abs, index);
      }
      return `http://127.0.0.1:${port}/m/${index}/${encodeURIComponent(path.basename(abs))}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** The timeline with every local media file replaced by its URL on the media server. */
export const serveTimelineMedia = <T extends { media: Record<string, { src?: string }> }>(
  timeline: T,
  server: MediaServer,
): T => ({
  ...timeline,
  media: Object.fromEntries(
    Object.entries(timeline.media).map(([id, ref]) => [
      id,
      ref.src && !/^https?:\/\//.test(ref.src) ? { ...ref, src: server.urlFor(ref.src) } : ref,
    ]),
  ),
});
