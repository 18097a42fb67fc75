import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadToFile, fetchBuffer, FetchError, type SafeFetchOptions } from '../../src/net/safe-fetch';

// A local server with the misbehaviours a downloader must survive.
let server: http.Server;
let base: string;
let port: number;
const hits = new Map<string, number>();
const seenHeaders = new Map<string, http.IncomingHttpHeaders>();

const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void> = {
  '/hello.json': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
  },
  '/redirect': (_req, res, url) => {
    res.writeHead(302, { location: url.searchParams.get('to') ?? '/hello.json' }).end();
  },
  '/loop': (_req, res) => {
    res.writeHead(302, { location: '/loop' }).end();
  },
  '/missing': (_req, res) => {
    res.writeHead(404).end('nope');
  },
  '/hang': () => {
    // never answers
  },
  '/stall-body': (_req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write(Buffer.alloc(100));
    // the other 900 bytes never come
  },
  '/trickle': (req, res) => {
    // One byte every 50 ms, for ever: never quiet, never done.
    res.writeHead(200, { 'content-length': '100000' });
    const timer = setInterval(() => res.write(Buffer.alloc(1)), 50);
    req.on('close', () => clearInterval(timer));
  },
  '/steady': (req, res) => {
    // 32 KB every 100 ms, 640 KB in all: slow, but moving.
    res.writeHead(200, { 'content-length': String(20 * 32 * 1024) });
    let sent = 0;
    const timer = setInterval(() => {
      res.write(Buffer.alloc(32 * 1024));
      if (++sent === 20) {
        clearInterval(timer);
        res.end();
      }
    }, 100);
    req.on('close', () => clearInterval(timer));
  },
  '/big-declared': (_req, res) => {
    res.writeHead(200, { 'content-length': String(2 * 1024 * 1024) });
    res.end(Buffer.alloc(2 * 1024 * 1024));
  },
  '/big-chunked': (_req, res) => {
    res.writeHead(200); // no content-length: the cap must apply while streaming
    let sent = 0;
    const pump = () => {
      while (sent < 4 * 1024 * 1024) {
        sent += 64 * 1024;
        if (!res.write(Buffer.alloc(64 * 1024))) return res.once('drain', pump);
      }
      res.end();
    };
    pump();
  },
  '/echo-headers': (req, res) => {
    seenHeaders.set('/echo-headers', req.headers);
    res.writeHead(200).end('ok');
  },
  '/file.bin': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from('0123456789'));
  },
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const route = routes[url.pathname];
    if (route) route(req, res, url);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  hits.clear();
  seenHeaders.clear();
});

const local: SafeFetchOptions = { timeoutMs: 5_000, maxBytes: 1024 * 1024, allowPrivateNetwork: true };
const totalHits = () => [...hits.values()].reduce((a, b) => a + b, 0);

async function failure(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FetchError);
    return e as FetchError;
  }
  throw new Error('expected a FetchError');
}

describe('fetchBuffer', () => {
  it('returns status, headers, body and the final URL after redirects', async () => {
    const r = await fetchBuffer(`${base}/redirect?to=/hello.json`, local);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body.toString())).toEqual({ hello: 'world' });
    expect(r.finalUrl).toBe(`${base}/hello.json`);
  });

  it('refuses 127.0.0.1 by default without sending anything', async () => {
    const e = await failure(fetchBuffer(`${base}/hello.json`, { timeoutMs: 5_000, maxBytes: 1024 }));
    expect(e.kind).toBe('private-address');
    expect(totalHits()).toBe(0);
  });

  it.each([
    `http://localhost:PORT/hello.json`,
    `http://[::1]:PORT/hello.json`,
    `http://[::ffff:127.0.0.1]:PORT/hello.json`,
    `http://0.0.0.0:PORT/hello.json`,
    `http://2130706433:PORT/hello.json`, // 127.0.0.1 as one number
    `http://0x7f.1:PORT/hello.json`,
    `http://169.254.169.254/latest/meta-data/`,
  ])('refuses %s by default', async (template) => {
    const e = await failure(fetchBuffer(template.replace('PORT', String(port)), { timeoutMs: 2_000, maxBytes: 1024 }));
    expect(e.kind).toBe('private-address');
    expect(totalHits()).toBe(0);
  });

  it('checks the address DNS answers with (rebinding-safe lookup)', async () => {
    const e = await failure(
      fetchBuffer(`http://innocent.test:${port}/hello.json`, {
        timeoutMs: 2_000,
        maxBytes: 1024,
        resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
      }),
    );
    expect(e.kind).toBe('private-address');
    expect(totalHits()).toBe(0);
  });

  it('refuses a host when any of its addresses is private', async () => {
    const e = await failure(
      fetchBuffer(`http://mixed.test:${port}/hello.json`, {
        timeoutMs: 2_000,
        maxBytes: 1024,
        resolveHost: async () => [
          { address: '93.184.216.34', family: 4 },
          { address: '10.0.0.7', family: 4 },
        ],
      }),
    );
    expect(e.kind).toBe('private-address');
  });

  describe('re-checks every redirect hop', () => {
    // The first hop is a "public" name that the test resolver maps to 127.0.0.1, and that one
    // address is exempted; the redirect target goes through the normal private check.
    const publicFirstHop: SafeFetchOptions = {
      timeoutMs: 2_000,
      maxBytes: 1024,
      allowAddresses: ['127.0.0.1'],
      resolveHost: async (host) => [{ address: host === 'public.test' ? '127.0.0.1' : '192.168.1.20', family: 4 }],
    };

    it('follows an allowed redirect', async () => {
      const r = await fetchBuffer(`http://public.test:${port}/redirect?to=/hello.json`, publicFirstHop);
      expect(r.finalUrl).toBe(`http://public.test:${port}/hello.json`);
    });

    it.each([
      ['an IP literal', 'http://169.254.169.254/latest/meta-data/'],
      ['localhost', 'http://localhost:1/x'],
      ['IPv4-mapped IPv6', 'http://[::ffff:10.0.0.1]/x'],
      ['a name resolving privately', 'http://intranet.test/x'],
    ])('refuses a redirect to %s', async (_label, target) => {
      const e = await failure(
        fetchBuffer(`http://public.test:${port}/redirect?to=${encodeURIComponent(target)}`, publicFirstHop),
      );
      expect(e.kind).toBe('private-address');
      expect(hits.get('/redirect')).toBe(1);
    });

    it('refuses a redirect to 127.0.0.1 when private addresses are not allowed', async () => {
      // First hop exempted by address, second hop is the same loopback address by another name.
      const e = await failure(
        fetchBuffer(`http://public.test:${port}/redirect?to=${encodeURIComponent(`http://[::1]:${port}/hello.json`)}`, publicFirstHop),
      );
      expect(e.kind).toBe('private-address');
    });
  });

  it('refuses non-http schemes, also as a redirect target', async () => {
    expect((await failure(fetchBuffer('file:///etc/passwd', local))).kind).toBe('bad-url');
    expect((await failure(fetchBuffer('ftp://example.com/x', local))).kind).toBe('bad-url');
    expect((await failure(fetchBuffer('not a url', local))).kind).toBe('bad-url');
    const e = await failure(fetchBuffer(`${base}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`, local));
    expect(e.kind).toBe('bad-url');
  });

  it('stops after 5 redirects', async () => {
    const e = await failure(fetchBuffer(`${base}/loop`, local));
    expect(e.kind).toBe('http-status');
    expect(e.status).toBe(302);
    expect(hits.get('/loop')).toBe(6);
  });

  it('reports the HTTP status of a non-2xx answer', async () => {
    const e = await failure(fetchBuffer(`${base}/missing`, local));
    expect(e.kind).toBe('http-status');
    expect(e.status).toBe(404);
    expect(e.transient).toBe(false);
  });

  it('times out when the server never answers', async () => {
    const started = Date.now();
    const e = await failure(fetchBuffer(`${base}/hang`, { ...local, timeoutMs: 300 }));
    expect(e.kind).toBe('timeout');
    expect(e.transient).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('has a connect deadline of its own (here: DNS never answers)', async () => {
    const e = await failure(
      fetchBuffer(`http://stuck-dns.test:${port}/`, {
        ...local,
        timeoutMs: 5_000,
        connectTimeoutMs: 200,
        resolveHost: () => new Promise(() => {}),
      }),
    );
    expect(e.kind).toBe('timeout');
    expect(e.message).toContain('no connection');
  });

  it('times out when the body stalls', async () => {
    const e = await failure(fetchBuffer(`${base}/stall-body`, { ...local, timeoutMs: 300 }));
    expect(e.kind).toBe('timeout');
  });

  it('gives up on a transfer that moves too little in a stall window (a trickle), without calling it transient', async () => {
    const started = Date.now();
    const e = await failure(fetchBuffer(`${base}/trickle`, { ...local, timeoutMs: 30_000, stallTimeoutMs: 400 }));
    expect(e.kind).toBe('stalled');
    expect(e.message).toBe('slower than 16 KB in 0.4 s');
    expect(e.transient).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    // A slow transfer that keeps moving is not a stall.
    const ok = await fetchBuffer(`${base}/steady`, { ...local, timeoutMs: 30_000, stallTimeoutMs: 400 });
    expect(ok.body.length).toBe(20 * 32 * 1024);
  });

  it('refuses a body whose Content-Length exceeds the cap', async () => {
    const e = await failure(fetchBuffer(`${base}/big-declared`, local));
    expect(e.kind).toBe('too-large');
  });

  it('stops reading a chunked body at the cap', async () => {
    const e = await failure(fetchBuffer(`${base}/big-chunked`, local));
    expect(e.kind).toBe('too-large');
  });

  it('reports a refused connection as a network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const e = await failure(fetchBuffer(`http://127.0.0.1:${deadPort}/`, local));
    expect(e.kind).toBe('network');
    expect(e.transient).toBe(true);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const e = await failure(fetchBuffer(`${base}/hang`, { ...local, signal: controller.signal }));
    expect(e.kind).toBe('aborted');
  });

  it('does not carry credentials to another origin on redirect', async () => {
    const target = `http://localhost:${port}/echo-headers`;
    await fetchBuffer(`${base}/redirect?to=${encodeURIComponent(target)}`, {
      ...local,
      headers: { Authorization: 'Bearer secret', 'X-Trace': 'kept' },
    });
    const headers = seenHeaders.get('/echo-headers');
    expect(headers?.authorization).toBeUndefined();
    expect(headers?.['x-trace']).toBe('kept');
  });
});

describe('downloadToFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'safe-fetch-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const leftovers = () => readdirSync(dir).filter((f) => f.endsWith('.part'));

  it('writes the body to the destination', async () => {
    const dest = path.join(dir, 'sub', 'file.bin');
    const r = await downloadToFile(`${base}/file.bin`, dest, local);
    expect(r.bytes).toBe(10);
    expect(readFileSync(dest, 'utf8')).toBe('0123456789');
    expect(readdirSync(path.join(dir, 'sub'))).toEqual(['file.bin']);
  });

  it.each([
    ['a body over the cap', '/big-chunked', {}],
    ['a stalled body', '/stall-body', { timeoutMs: 300 }],
    ['a 404', '/missing', {}],
  ])('leaves nothing behind after %s', async (_label, route, extra) => {
    const dest = path.join(dir, `failed${route.replace('/', '-')}.bin`);
    await failure(downloadToFile(`${base}${route}`, dest, { ...local, ...extra }));
    expect(existsSync(dest)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('leaves nothing behind when the caller aborts mid-body', async () => {
    const controller = new AbortController();
    const dest = path.join(dir, 'aborted.bin');
    const pending = downloadToFile(`${base}/stall-body`, dest, { ...local, signal: controller.signal });
    setTimeout(() => controller.abort(), 150);
    expect((await failure(pending)).kind).toBe('aborted');
    expect(existsSync(dest)).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
