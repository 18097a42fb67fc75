/**
 * Bounded, SSRF-safe HTTP(S) GET for URLs that come from users (drafts, materials).
 *
 * - Only http/https. Redirects are followed by hand (max 5) so every hop is checked again.
 * - The address check runs inside the socket's `lookup`, i.e. on the address actually connected
 *   to, so a DNS answer that changes between "check" and "connect" (rebinding) cannot slip by.
 *   IP-literal hosts never reach `lookup`, so they are checked before connecting.
 * - Every transfer has a connect timeout, a total deadline and a byte cap.
 */
import { randomBytes } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isLocalHostName, isPrivateAddress, stripBrackets } from './address';
import { FetchError, hostOf } from './fetch-error';

export { FetchError, isFetchError, describeUrl, hostOf, type FetchErrorKind } from './fetch-error';

/** Replaces DNS for a host name (tests, custom resolvers). Its answers are still checked. */
export type ResolveHost = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface SafeFetchOptions {
  /** Deadline for the whole transfer: DNS, connect, redirects and body. */
  timeoutMs: number;
  /** Body size cap; also refused up front when Content-Length says more. */
  maxBytes: number;
  /** Allow loopback/private/link-local/... addresses (local development, tests). */
  allowPrivateNetwork?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /**
   * Given up when less than STALL_MIN_BYTES of the answer arrive in any window this long (from the
   * request on): a transfer is bounded by its progress, not only by its total time (a server
   * trickling 1 byte/s never goes quiet). Default: no such bound.
   */
  stallTimeoutMs?: number;
  /** Deadline for DNS + TCP connect of each hop; default min(10 s, timeoutMs). */
  connectTimeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  resolveHost?: ResolveHost;
  /** Exact IP addresses exempt from the private-address check (one known internal host). */
  allowAddresses?: readonly string[];
}

export interface FetchResult {
  /** Always 2xx: other final statuses throw `FetchError('http-status')`. */
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The URL that answered, after redirects. */
  finalUrl: string;
}

export interface FetchBufferResult extends FetchResult {
  body: Buffer;
}

export interface DownloadResult extends FetchResult {
  bytes: number;
}

/** The least a transfer must move per stall window (0.8 KB/s over 20 s: any real download moves more). */
export const STALL_MIN_BYTES = 16 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Sent to the first origin only: a redirect elsewhere must not carry them along. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export async function fetchBuffer(url: string, opts: SafeFetchOptions): Promise<FetchBufferResult> {
  return withDeadline(url, opts, async (signal, moved) => {
    const { res, finalUrl } = await openFollowingRedirects(url, opts, signal);
    res.on('data', (chunk: Buffer) => moved(chunk.length));
    const body = await readCapped(res, opts.maxBytes, finalUrl, signal);
    return { status: res.statusCode ?? 0, headers: res.headers, finalUrl, body };
  });
}

/**
 * Streams the body into a temp file beside `destPath` and renames it into place on success,
 * so `destPath` either does not exist or is complete. The temp file is removed on any failure.
 */
export async function downloadToFile(url: string, destPath: string, opts: SafeFetchOptions): Promise<DownloadResult> {
  return withDeadline(url, opts, async (signal, moved) => {
    const { res, finalUrl } = await openFollowingRedirects(url, opts, signal);
    const tempPath = path.join(
      path.dirname(destPath),
      `.${path.basename(destPath)}.${randomBytes(6).toString('hex')}.part`,
    );
    // Open before streaming so the file surely exists (and is surely removed) even if the
    // transfer fails before the first write.
    let file: FileHandle;
    try {
      await mkdir(path.dirname(destPath), { recursive: true });
      file = await open(tempPath, 'wx');
    } catch (e) {
      res.destroy();
      throw e;
    }
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        moved(chunk.length);
        bytes += chunk.length;
        if (bytes > opts.maxBytes) callback(tooLarge(finalUrl, opts.maxBytes));
        else callback(null, chunk);
      },
    });
    try {
      await pipeline(res, counter, file.createWriteStream(), { signal });
      await rename(tempPath, destPath);
    } catch (e) {
      await file.close().catch(() => {});
      await rm(tempPath, { force: true });
      throw toFetchError(e, finalUrl, signal);
    }
    return { status: res.statusCode ?? 0, headers: res.headers, finalUrl, bytes };
  });
}

/**
 * Runs `work` under one signal that fires on the total deadline, on a stall (less than
 * STALL_MIN_BYTES reported to `moved` in a stallTimeoutMs window) or on the caller's abort.
 */
async function withDeadline<T>(url: string, opts: SafeFetchOptions, work: (signal: AbortSignal, moved: (bytes: number) => void) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new FetchError('timeout', `timed out after ${opts.timeoutMs} ms`, { url })),
    opts.timeoutMs,
  );
  let windowBytes = 0;
  const moved = (bytes: number) => void (windowBytes += bytes);
  const stallTimer = opts.stallTimeoutMs
    ? setInterval(() => {
        if (windowBytes < STALL_MIN_BYTES) {
          const seconds = opts.stallTimeoutMs! / 1000;
          controller.abort(new FetchError('stalled', `slower than ${STALL_MIN_BYTES / 1024} KB in ${seconds} s`, { url }));
        }
        windowBytes = 0;
      }, opts.stallTimeoutMs)
    : undefined;
  const onCallerAbort = () =>
    controller.abort(new FetchError('aborted', 'aborted', { url, cause: opts.signal?.reason }));
  if (opts.signal?.aborted) onCallerAbort();
  else opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await work(controller.signal, moved);
  } catch (e) {
    throw toFetchError(e, url, controller.signal);
  } finally {
    clearTimeout(timer);
    clearInterval(stallTimer);
    opts.signal?.removeEventListener('abort', onCallerAbort);
  }
}

interface OpenResponse {
  res: http.IncomingMessage;
  finalUrl: string;
}

async function openFollowingRedirects(url: string, opts: SafeFetchOptions, signal: AbortSignal): Promise<OpenResponse> {
  let current = parseHttpUrl(url);
  const headers: Record<string, string> = {
    'user-agent': 'gen-video/0.1',
    accept: '*/*',
    // Compressed bodies would make maxBytes count the wrong thing; we never decode anyway.
    'accept-encoding': 'identity',
    ...lowerCaseKeys(opts.headers ?? {}),
  };
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;

  for (let hop = 0; ; hop++) {
    const res = await requestOnce(current, headers, opts, signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECT_STATUSES.has(status) && location) {
      res.destroy();
      if (hop >= maxRedirects) {
        throw new FetchError('http-status', `more than ${maxRedirects} redirects`, { url: current.href, status });
      }
      let next: URL;
      try {
        next = parseHttpUrl(new URL(location, current).href);
      } catch {
        throw new FetchError('bad-url', `redirect to an unusable URL: ${location.slice(0, 100)}`, { url: current.href });
      }
      if (next.origin !== current.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
      current = next;
      continue;
    }
    if (status < 200 || status > 299) {
      res.destroy();
      throw new FetchError('http-status', `HTTP ${status} from ${current.host}`, { url: current.href, status });
    }
    const declaredBytes = Number(res.headers['content-length']);
    if (Number.isFinite(declaredBytes) && declaredBytes > opts.maxBytes) {
      res.destroy();
      throw tooLarge(current.href, opts.maxBytes);
    }
    return { res, finalUrl: current.href };
  }
}

function requestOnce(
  url: URL,
  headers: Record<string, string>,
  opts: SafeFetchOptions,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  const isAllowed = addressPolicy(opts);
  const host = stripBrackets(url.hostname);
  if (isIP(host) ? !isAllowed(host) : isLocalHostName(host) && !opts.allowPrivateNetwork) {
    return Promise.reject(privateAddress(url.href, host, host));
  }
  if (signal.aborted) return Promise.reject(signal.reason);

  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'GET',
      headers,
      // A fresh socket per request: every connection goes through the guarded lookup.
      agent: false,
      lookup: guardedLookup(url.href, opts, isAllowed),
    });
    const onAbort = () => req.destroy(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const connectTimeoutMs = opts.connectTimeoutMs ?? Math.min(DEFAULT_CONNECT_TIMEOUT_MS, opts.timeoutMs);

    req.on('socket', (socket: Socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(
        () => req.destroy(new FetchError('timeout', `no connection to ${url.host} within ${connectTimeoutMs} ms`, { url: url.href })),
        connectTimeoutMs,
      );
      socket.once('connect', () => {
        clearTimeout(timer);
        // Second line of defence; the lookup above already refused private answers.
        const remote = socket.remoteAddress;
        if (remote && !isAllowed(remote)) req.destroy(privateAddress(url.href, host, remote));
      });
      socket.once('close', () => clearTimeout(timer));
    });
    req.once('response', (res) => {
      signal.removeEventListener('abort', onAbort);
      // A connection reset before anyone reads the body makes `res` emit 'error'; readers attach
      // their own listeners, this one only keeps an unread response from crashing the process.
      res.on('error', () => {});
      resolve(res);
    });
    req.on('error', (e) => {
      signal.removeEventListener('abort', onAbort);
      reject(toFetchError(e, url.href, signal));
    });
    req.end();
  });
}

type AddressPolicy = (address: string) => boolean;

function addressPolicy(opts: SafeFetchOptions): AddressPolicy {
  return (address) =>
    opts.allowPrivateNetwork === true ||
    (opts.allowAddresses ?? []).includes(stripBrackets(address)) ||
    !isPrivateAddress(address);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(url: string, opts: SafeFetchOptions, isAllowed: AddressPolicy) {
  const resolve: ResolveHost =
    opts.resolveHost ??
    ((hostname) =>
      new Promise((ok, fail) =>
        dnsLookup(hostname, { all: true }, (err, addresses) => (err ? fail(err) : ok(addresses))),
      ));
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (found) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const addresses = found.filter((a) => !family || a.family === family);
        if (addresses.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          return callback(err, '');
        }
        // Refuse the host outright when any answer is private: filtering would let a
        // rebinding attacker keep trying until the private one is picked.
        const refused = addresses.find((a) => !isAllowed(a.address));
        if (refused) return callback(privateAddress(url, hostname, refused.address), '');
        if (options.all) return callback(null, addresses);
        return callback(null, addresses[0].address, addresses[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

async function readCapped(res: http.IncomingMessage, maxBytes: number, url: string, signal: AbortSignal): Promise<Buffer> {
  const onAbort = () => res.destroy(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        res.destroy();
        throw tooLarge(url, maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    throw toFetchError(e, url, signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return Buffer.concat(chunks, total);
}

function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchError('bad-url', 'not an absolute URL', { url: text });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('bad-url', `unsupported scheme ${url.protocol}`, { url: text });
  }
  if (!url.hostname) throw new FetchError('bad-url', 'URL has no host', { url: text });
  url.hash = '';
  return url;
}

/** Whatever went wrong, as a FetchError; the deadline's/caller's reason wins when the signal fired. */
function toFetchError(e: unknown, url: string, signal: AbortSignal): FetchError {
  if (signal.aborted && signal.reason instanceof FetchError) return signal.reason;
  if (e instanceof FetchError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const host = hostOf(url);
  const message =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? `cannot resolve ${host}`
      : code === 'ECONNREFUSED'
        ? `connection refused by ${host}`
        : code === 'ECONNRESET' || err?.message === 'aborted'
          ? `connection to ${host} reset`
          : `${code ?? err?.message ?? 'network error'} (${host})`;
  return new FetchError('network', message, { url, code, cause: e });
}

function tooLarge(url: string, maxBytes: number): FetchError {
  return new FetchError('too-large', `larger than ${formatBytes(maxBytes)}`, { url });
}

function privateAddress(url: string, host: string, address: string): FetchError {
  const where = host === address ? address : `${host} (${address})`;
  return new FetchError('private-address', `private network address refused: ${where}`, { url });
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
