// Small pieces of the server: settings, dedupe key, content hash, signed URLs, byte ranges, queue, callbacks.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenVideoError } from '../../src/errors';
import { ConfigError, loadConfig, SETTINGS, settingsTable } from '../../server/config';
import { deliverCallback, postJsonOnce } from '../../server/jobs/callback';
import { canonicalJson, contentHash, draftKey } from '../../server/jobs/key';
import { createMemoryQueue } from '../../server/jobs/memory-queue';
import { parseRange } from '../../server/routes/videos';
import { sign, verify } from '../../server/storage/signing';

describe('config', () => {
  it('has defaults for everything but the optional settings', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.allowPrivateNetwork).toBe(false);
    expect(c.apiKeys).toEqual([]);
    expect(c.renderConcurrency).toBeGreaterThanOrEqual(1);
    expect(c.queueLimit).toBe(20);
    expect(c.requestWaitSec).toBeLessThan(300);
    expect(c.storage).toBe('local');
    expect(c.publicBaseUrl).toBeUndefined();
  });

  it('parses values and lists every bad one in one clear error', () => {
    const c = loadConfig({ PORT: '8080', ALLOW_PRIVATE_NETWORK: 'yes', API_KEYS: 'a, b ,,c', PUBLIC_BASE_URL: 'https://x.example/api/' });
    expect(c.port).toBe(8080);
    expect(c.allowPrivateNetwork).toBe(true);
    expect(c.apiKeys).toEqual(['a', 'b', 'c']);
    expect(c.publicBaseUrl).toBe('https://x.example/api');

    let err: unknown;
    try {
      loadConfig({ PORT: 'abc', QUEUE_LIMIT: '-1', ALLOW_PRIVATE_NETWORK: 'maybe', PUBLIC_BASE_URL: 'ftp://x', STORAGE: 'disk' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    for (const name of ['PORT', 'QUEUE_LIMIT', 'ALLOW_PRIVATE_NETWORK', 'PUBLIC_BASE_URL', 'STORAGE']) expect(msg).toContain(name);
  });

  it('needs a bucket for S3 and caps the URL lifetime at 7 days', () => {
    expect(() => loadConfig({ STORAGE: 's3' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ STORAGE: 's3', S3_BUCKET: 'b', VIDEO_URL_TTL_SECONDS: String(8 * 86400) })).toThrow(/7 days/);
    const c = loadConfig({ STORAGE: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:9000' });
    expect(c.s3).toMatchObject({ bucket: 'b', forcePathStyle: true, region: 'us-east-1', keyPrefix: 'videos/' });
  });

  it('every setting is in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const missing = Object.keys(SETTINGS).filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('can print the settings table for the README', () => {
    expect(settingsTable()).toContain('| `PORT` | `3000` |');
    expect(settingsTable()).toMatch(/\| `PRIVATE_NETWORK_ALLOWLIST` \| {2}\| .*exempt from the private-network refusal/);
  });

  it('reads PRIVATE_NETWORK_ALLOWLIST as exact IPs in canonical form, empty by default', () => {
    expect(loadConfig({}).privateNetworkAllowlist).toEqual([]);
    expect(loadConfig({ PRIVATE_NETWORK_ALLOWLIST: '  ' }).privateNetworkAllowlist).toEqual([]);
    const c = loadConfig({ PRIVATE_NETWORK_ALLOWLIST: '10.0.0.5, 127.0.0.2,,FD00:0:0:0:0:0:0:1 [::1] 10.0.0.5' });
    expect(c.privateNetworkAllowlist).toEqual(['10.0.0.5', '127.0.0.2', 'fd00::1', '::1']);
    expect(c.allowPrivateNetwork).toBe(false); // the allowlist does not open the rest

    for (const bad of ['internal.example.com', '10.0.0.0/8', '10.0.0.256', '127.0.0.02', 'fe80::1%eth0', '10.0.0.1:80']) {
      let err: unknown;
      try {
        loadConfig({ PRIVATE_NETWORK_ALLOWLIST: `127.0.0.2, ${bad}` });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('PRIVATE_NETWORK_ALLOWLIST');
      expect((err as Error).message).toContain(`not an IP address: ${JSON.stringify(bad)}`);
    }
  });
});

describe('dedupe key and content hash', () => {
  it('treats a fyshark link and the plain draft URL as the same draft', () => {
    const inner = 'https://oss.example.com/2025/draft/abc.json';
    expect(draftKey(`https://ts.fyshark.com/#/cozeToJianyin?drafId=${inner}`)).toBe(inner);
    expect(draftKey(`https://ts.fyshark.com/#/cozeToJianyin?drafId=${encodeURIComponent(inner)}`)).toBe(inner);
    expect(draftKey('HTTPS://OSS.Example.com:443/2025/draft/abc.json#x')).toBe(inner);
    expect(draftKey('https://oss.example.com/a.json?v=1')).not.toBe(draftKey('https://oss.example.com/a.json?v=2'));
  });

  it('refuses links without a usable draft URL', () => {
    expect(() => draftKey('https://ts.fyshark.com/#/cozeToJianyin?drafId=ftp://x')).toThrow(GenVideoError);
  });

  it('hashes content, not key order', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
});

describe('signed video URLs', () => {
  const secret = 'a-secret-of-enough-length';
  const now = 1_700_000_000;
  it('accepts a good signature until it expires', () => {
    const sig = sign(secret, 'k.mp4', now + 60);
    expect(verify(secret, 'k.mp4', String(now + 60), sig, now)).toBe('ok');
    expect(verify(secret, 'k.mp4', String(now + 60), sig, now + 61)).toBe('expired');
  });
  it('refuses tampering with the key, the expiry or the signature', () => {
    const sig = sign(secret, 'k.mp4', now + 60);
    expect(verify(secret, 'other.mp4', String(now + 60), sig, now)).toBe('invalid');
    expect(verify(secret, 'k.mp4', String(now + 6000), sig, now)).toBe('invalid');
    expect(verify(secret, 'k.mp4', String(now + 60), `${sig.slice(0, -1)}A`, now)).toBe('invalid');
    expect(verify('another-secret-of-length', 'k.mp4', String(now + 60), sig, now)).toBe('invalid');
    expect(verify(secret, 'k.mp4', undefined, sig, now)).toBe('invalid');
  });
});

describe('byte ranges', () => {
  it('parses single ranges and refuses unsatisfiable ones', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-1000', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeUndefined(); // several: a full answer is allowed
    expect(parseRange('items=0-1', 100)).toBeUndefined();
    expect(parseRange('bytes=9-2', 100)).toBeUndefined();
  });
});

describe('the in-process queue', () => {
  it('runs one at a time, in order, and refuses beyond its limit', async () => {
    const q = createMemoryQueue({ concurrency: 1, limit: 2 });
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const finished = new Promise<void>((done) => {
      q.start(async (id) => {
        order.push(id);
        if (id === 'a') await gate;
        if (id === 'd') done();
      });
    });
    await q.add('a');
    await q.add('b');
    await q.add('c');
    expect(q.running).toBe(1);
    expect(await q.position('c')).toBe(2);
    expect(await q.hasRoom()).toBe(false);
    await expect(q.add('d')).rejects.toMatchObject({ code: 'BUSY', status: 503 });
    await q.add('d', { force: true }); // a restart re-queuing its own
    release();
    await finished;
    await q.stop(1000, new Error('stop'));
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('callbacks', () => {
  let server: http.Server;
  let base: string;
  const seen: { path: string; body: string }[] = [];
  let failures = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', body });
        if (req.url === '/redirect') return void res.writeHead(302, { Location: '/ok' }).end();
        if (req.url === '/flaky' && failures-- > 0) return void res.writeHead(503).end();
        if (req.url === '/bad') return void res.writeHead(400).end();
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses private addresses unless allowed', async () => {
    for (const url of [`${base}/ok`, 'http://localhost:1/x', 'http://[::1]:1/x', 'http://[::ffff:127.0.0.1]:1/x', 'http://169.254.169.254/latest']) {
      await expect(postJsonOnce(url, {}, { allowPrivateNetwork: false, timeoutMs: 2000 })).rejects.toThrow(/private network address refused/);
    }
    await expect(postJsonOnce(`${base}/ok`, { a: 1 }, { allowPrivateNetwork: true, timeoutMs: 2000 })).resolves.toBe(200);
    expect(seen.at(-1)).toEqual({ path: '/ok', body: '{"a":1}' });
  });

  it('allows an allowlisted address and still refuses every other private one', async () => {
    await expect(postJsonOnce(`${base}/ok`, { b: 2 }, { allowPrivateNetwork: false, allowAddresses: ['127.0.0.1'], timeoutMs: 2000 })).resolves.toBe(200);
    expect(seen.at(-1)).toEqual({ path: '/ok', body: '{"b":2}' });
    for (const url of [`${base}/ok`, 'http://localhost:1/x', 'http://10.0.0.1:1/x']) {
      await expect(postJsonOnce(url, {}, { allowPrivateNetwork: false, allowAddresses: ['127.0.0.2'], timeoutMs: 2000 })).rejects.toThrow(
        /private network address refused/,
      );
    }
  });

  it('retries server errors with back-off, gives up on client errors and does not follow redirects', async () => {
    failures = 2;
    const opts = { allowPrivateNetwork: true, timeoutMs: 2000, maxAttempts: 4, backoffMs: () => 10 };
    const before = seen.length;
    expect(await deliverCallback(`${base}/flaky`, { n: 1 }, opts)).toBe(true);
    expect(seen.length - before).toBe(3);
    expect(await deliverCallback(`${base}/bad`, {}, opts)).toBe(false);
    expect(seen.at(-1)?.path).toBe('/bad');
    const n = seen.length;
    expect(await deliverCallback(`${base}/redirect`, {}, opts)).toBe(false);
    expect(seen.length).toBe(n + 1); // /ok was not requested
    expect(await deliverCallback('http://127.0.0.1:9/x', {}, { ...opts, allowPrivateNetwork: false })).toBe(false);
  });
});
