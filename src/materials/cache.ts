/**
 * Download cache for material URLs: `cacheDir/<sha256(url)>.<ext>`.
 * A file under its final name is always complete (downloads land in a temp file and are renamed),
 * so "exists" means "usable". Concurrent requests for one URL share one transfer.
 * URLs that bring the same bytes (one file behind several query strings, signatures, mirrors) share
 * one copy on disk: each URL's name is a hard link to `content/<sha256(bytes)>.<ext>`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { sleep, untilAborted } from '../abort';
import { isLocalHostName, isPrivateAddress, stripBrackets } from '../net/address';
import { downloadToFile, FetchError, type SafeFetchOptions } from '../net/safe-fetch';
import { extensionFromContentType, extensionFromUrl, MEDIA_EXTENSIONS, sniffExtension } from './file-type';

export interface CachedDownloadOptions extends SafeFetchOptions {
  /** Extra attempts after a transient failure (network, timeout, 5xx, 429). */
  retries: number;
  /** Wait before the first retry; doubles each time. */
  retryDelayMs: number;
  /** Told of each transfer that completed (not of cache hits): its bytes. */
  onTransfer?: (bytes: number) => void;
}

/** Extension for downloads whose type neither URL, header nor bytes reveal. */
const UNKNOWN_EXTENSION = 'bin';

interface SharedDownload {
  promise: Promise<string>;
  controller: AbortController;
  waiters: number;
}

const inFlight = new Map<string, SharedDownload>();

export function cacheKey(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}

/** Local path of `url`'s content, downloading it unless the cache has it. */
export async function cachedDownload(url: string, cacheDir: string, opts: CachedDownloadOptions): Promise<string> {
  // A cache hit makes no connection, so the address guard would never run: refuse obviously
  // private hosts here too, or a file fetched by a trusted job would leak to an untrusted one.
  refusePrivateLiteral(url, opts);
  const key = cacheKey(url);
  const hit = await findCached(cacheDir, key, url);
  if (hit) return hit;

  // The sharing key includes the network permission: a caller without it must not ride on a
  // transfer that was allowed to reach a private address.
  const shareKey = `${path.resolve(cacheDir)}\0${key}\0${opts.allowPrivateNetwork ? 1 : 0}`;
  let shared = inFlight.get(shareKey);
  if (!shared) {
    const controller = new AbortController();
    const promise = downloadWithRetries(url, cacheDir, key, { ...opts, signal: controller.signal });
    const entry: SharedDownload = { promise, controller, waiters: 0 };
    promise.then(
      () => inFlight.get(shareKey) === entry && inFlight.delete(shareKey),
      () => inFlight.get(shareKey) === entry && inFlight.delete(shareKey),
    );
    inFlight.set(shareKey, entry);
    shared = entry;
  }

  shared.waiters++;
  const entry = shared;
  try {
    return await untilAborted(entry.promise, opts.signal);
  } finally {
    entry.waiters--;
    // The last interested caller gave up: stop the transfer, and wait until its temp file is
    // gone so the caller can rely on "nothing partial left" once it returns.
    if (entry.waiters === 0 && opts.signal?.aborted) {
      if (inFlight.get(shareKey) === entry) inFlight.delete(shareKey);
      entry.controller.abort(opts.signal.reason);
      await entry.promise.catch(() => {});
    }
  }
}

async function downloadWithRetries(url: string, cacheDir: string, key: string, opts: CachedDownloadOptions): Promise<string> {
  const knownExtension = extensionFromUrl(url);
  const dest = path.join(cacheDir, `${key}.${knownExtension ?? UNKNOWN_EXTENSION}`);
  for (let attempt = 0; ; attempt++) {
    try {
      const { headers, bytes } = await downloadToFile(url, dest, opts);
      opts.onTransfer?.(bytes);
      const named = knownExtension ? dest : await renameByContent(dest, cacheDir, key, extensionFromContentType(headers['content-type']));
      await shareByContent(named, cacheDir);
      return named;
    } catch (e) {
      const retry = e instanceof FetchError && e.transient && attempt < opts.retries && !opts.signal?.aborted;
      if (!retry) throw e;
      await sleep(opts.retryDelayMs * 2 ** attempt, opts.signal);
    }
  }
}

/** Gives an extension-less download the extension its bytes (or Content-Type) imply. */
async function renameByContent(file: string, cacheDir: string, key: string, fromHeader: string | undefined): Promise<string> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(32);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const extension = sniffExtension(head) ?? fromHeader;
  if (!extension) return file;
  const named = path.join(cacheDir, `${key}.${extension}`);
  try {
    await rename(file, named);
  } catch (e) {
    // Another process downloading the same URL renamed it first.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !(await stat(named).catch(() => undefined))) throw e;
  }
  return named;
}

/**
 * Makes `file` (complete, not yet handed to anyone) one more name of the cache's copy of its bytes,
 * or that copy when it is the first. Best effort: where hard links cannot be made, files stay apart.
 */
async function shareByContent(file: string, cacheDir: string): Promise<void> {
  const shared = await contentPathOf(file, cacheDir);
  try {
    await mkdir(path.dirname(shared), { recursive: true });
    await link(file, shared);
    return; // the first of these bytes: it is the copy now
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return;
  }
  try {
    const [mine, theirs] = await Promise.all([stat(file), stat(shared)]);
    if (mine.ino === theirs.ino || mine.size !== theirs.size) return;
    // Replaced atomically: the name is the shared copy from one moment to the next.
    const tmp = `${file}.${process.pid}.link.part`;
    await link(shared, tmp);
    await rename(tmp, file).catch(async () => rm(tmp, { force: true }));
  } catch {
    // the copy was evicted meanwhile, or links fail here: this file keeps its own bytes
  }
}

async function findCached(cacheDir: string, key: string, url: string): Promise<string | undefined> {
  const known = extensionFromUrl(url);
  const extensions = known ? [known] : [...MEDIA_EXTENSIONS, UNKNOWN_EXTENSION];
  for (const extension of extensions) {
    const file = path.join(cacheDir, `${key}.${extension}`);
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile() && info.size > 0) {
      // Marks it as used (its access time; its modification time names derived copies): the
      // cache's size limit drops the least recently used files first.
      await utimes(file, new Date(), info.mtime).catch(() => undefined);
      return file;
    }
  }
  return undefined;
}

function refusePrivateLiteral(url: string, opts: SafeFetchOptions): void {
  if (opts.allowPrivateNetwork) return;
  let host: string;
  try {
    host = stripBrackets(new URL(url).hostname);
  } catch {
    return; // downloadToFile reports the bad URL
  }
  const literal = /^[\d.]+$/.test(host) || host.includes(':');
  const allowed = (opts.allowAddresses ?? []).includes(host);
  if (!allowed && (isLocalHostName(host) || (literal && isPrivateAddress(host)))) {
    throw new FetchError('private-address', `private network address refused: ${host}`, { url });
  }
}

/**
 * Removes a cached file that turned out unusable, so the next attempt downloads it afresh, and
 * the cache's copy of its bytes unless another URL still names it.
 */
export async function forget(file: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info && info.nlink === 2) {
    const shared = await contentPathOf(file, path.dirname(file)).catch(() => undefined);
    const copy = shared ? await stat(shared).catch(() => undefined) : undefined;
    if (shared && copy?.ino === info.ino) await rm(shared, { force: true });
  }
  await rm(file, { force: true });
}

/** Where the cache keeps the copy of `file`'s bytes. */
async function contentPathOf(file: string, cacheDir: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return path.join(cacheDir, 'content', `${hash.digest('hex')}${path.extname(file)}`);
}
