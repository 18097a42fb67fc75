/**
 * POSTs the job JSON to a client's callback_url when a job ends, retrying with back-off.
 * Same private-network rule as draft and material downloads: the address actually connected to
 * is checked (inside the socket's lookup), and redirects are not followed.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isLocalHostName, isPrivateAddress, stripBrackets } from '../../src/net/address';
import { describeUrl } from '../../src/net/fetch-error';

export interface CallbackOptions {
  allowPrivateNetwork: boolean;
  /** Exact IPs allowed even though private (PRIVATE_NETWORK_ALLOWLIST); other private addresses stay refused. */
  allowAddresses?: readonly string[];
  timeoutMs: number;
  maxAttempts: number;
  /** Delay before try n+1 (ms); default 1 s, 2 s, 4 s ... capped at 60 s. */
  backoffMs?: (attempt: number) => number;
  log?: (msg: string) => void;
}

export class CallbackError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'CallbackError';
  }
}

const privateRefused = (host: string, address: string) =>
  new CallbackError(`private network address refused: ${host === address ? host : `${host} (${address})`}`, false);

/** One POST; resolves with the status when 2xx, otherwise throws CallbackError. */
export function postJsonOnce(url: string, body: unknown, opts: Pick<CallbackOptions, 'allowPrivateNetwork' | 'allowAddresses' | 'timeoutMs'>): Promise<number> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.reject(new CallbackError('not an absolute URL', false));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return Promise.reject(new CallbackError(`unsupported scheme ${u.protocol}`, false));
  const host = stripBrackets(u.hostname);
  const allowed = (address: string) =>
    opts.allowPrivateNetwork || (opts.allowAddresses ?? []).includes(stripBrackets(address)) || !isPrivateAddress(address);
  if (isIP(host) ? !allowed(host) : isLocalHostName(host) && !opts.allowPrivateNetwork) {
    return Promise.reject(privateRefused(host, host));
  }
  const lookup = (hostname: string, options: LookupOptions, cb: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { all: true }, (err, found) => {
      if (err) return cb(err, '');
      const addresses = found.filter((a) => !options.family || a.family === options.family);
      const refused = addresses.find((a) => !allowed(a.address));
      if (refused) return cb(privateRefused(hostname, refused.address), '');
      if (addresses.length === 0) return cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
      if (options.all) return cb(null, addresses);
      return cb(null, addresses[0].address, addresses[0].family);
    });
  };
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const client = u.protocol === 'https:' ? https : http;
    const req = client.request(u, {
      method: 'POST',
      agent: false,
      lookup,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length, 'user-agent': 'gen-video/0.1' },
      timeout: opts.timeoutMs,
    });
    const timer = setTimeout(() => req.destroy(new CallbackError(`timed out after ${opts.timeoutMs} ms`, true)), opts.timeoutMs);
    req.on('socket', (socket) => {
      socket.once('connect', () => {
        const remote = socket.remoteAddress;
        if (remote && !allowed(remote)) req.destroy(privateRefused(host, remote));
      });
    });
    req.once('response', (res) => {
      res.resume();
      res.once('end', () => clearTimeout(timer));
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve(status);
      else if (status >= 300 && status < 400) reject(new CallbackError(`HTTP ${status} (redirects are not followed)`, false));
      else reject(new CallbackError(`HTTP ${status}`, status >= 500 || status === 429 || status === 408));
    });
    req.once('error', (e) => {
      clearTimeout(timer);
      reject(e instanceof CallbackError ? e : new CallbackError((e as NodeJS.ErrnoException).code ?? e.message, true));
    });
    req.end(payload);
  });
}

/**
 * Why a callback URL could never be called (it is, or its name answers with, a private address),
 * or null: checked when the job is submitted, so the client hears it then. A name that does not
 * resolve now may later: it is tried at delivery (and the failure logged).
 */
export async function unreachableCallback(url: string, opts: Pick<CallbackOptions, 'allowPrivateNetwork' | 'allowAddresses'>): Promise<string | null> {
  if (opts.allowPrivateNetwork) return null;
  const host = stripBrackets(new URL(url).hostname);
  const allowed = (address: string) => (opts.allowAddresses ?? []).includes(stripBrackets(address)) || !isPrivateAddress(address);
  if (isIP(host)) return allowed(host) ? null : `private network address refused: ${host}`;
  if (isLocalHostName(host)) return `private network address refused: ${host}`;
  const found = await Promise.race([
    lookupAll(host).catch(() => null),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000).unref()),
  ]);
  if (!found) return null;
  const refused = found.find((a) => !allowed(a.address));
  return refused ? `private network address refused: ${host} (${refused.address})` : null;
}

const lookupAll = (host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(host, { all: true }, (err, found) => (err ? reject(err) : resolve(found))));

const defaultBackoff = (attempt: number) => Math.min(60_000, 1000 * 2 ** (attempt - 1));

/** Tries until a 2xx, a non-retryable failure, or maxAttempts. Never throws; resolves true on success. */
export async function deliverCallback(url: string, body: unknown, opts: CallbackOptions, signal?: AbortSignal): Promise<boolean> {
  const backoff = opts.backoffMs ?? defaultBackoff;
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    try {
      await postJsonOnce(url, body, opts);
      return true;
    } catch (e) {
      const err = e instanceof CallbackError ? e : new CallbackError(String(e), true);
      const last = !err.retryable || attempt === opts.maxAttempts;
      opts.log?.(`callback ${describeUrl(url)} try ${attempt}/${opts.maxAttempts} failed: ${err.message}${last ? ' (giving up)' : ''}`);
      if (last) return false;
      await new Promise<void>((r) => {
        const t = setTimeout(r, backoff(attempt));
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          r();
        }, { once: true });
      });
      if (signal?.aborted) return false;
    }
  }
  return false;
}

