// API keys and the private-network rule (ALLOW_PRIVATE_NETWORK unset = false) on the real server process.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/media';
import { makeMedia, startFixtures, tinyDraft, type Fixtures } from './helpers/fixtures';
import { removeDir, startServer, type ServerProcess } from './helpers/server-process';

let media: ReturnType<typeof tempDir>;
let fx: Fixtures;
let srv: ServerProcess;
/** ALLOW_PRIVATE_NETWORK=false but PRIVATE_NETWORK_ALLOWLIST=127.0.0.2 (no API keys). */
let allowSrv: ServerProcess;
/** An "internal draft store" on 127.0.0.2 (all of 127/8 is loopback on Linux). */
let store: http.Server;
let storeBase: string;
const storeDrafts = new Map<string, string>();
const storeHits: string[] = [];
const KEY = 'key-one-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };

beforeAll(async () => {
  media = tempDir('gen-video-auth-');
  makeMedia(media.dir);
  fx = await startFixtures(media.dir);
  store = http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    storeHits.push(pathname);
    if (pathname === '/draft.json') {
      return void res.writeHead(302, { Location: fx.setDraft('behind-redirect.json', tinyDraft(fx.mediaUrl('red.mp4'))) }).end();
    }
    const json = storeDrafts.get(pathname);
    if (json === undefined) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(json);
  });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.2', resolve));
  storeBase = `http://127.0.0.2:${(store.address() as AddressInfo).port}`;
  srv = await startServer({ ALLOW_PRIVATE_NETWORK: '', API_KEYS: `${KEY}, key-two-0123456789` });
  allowSrv = await startServer({ ALLOW_PRIVATE_NETWORK: 'false', PRIVATE_NETWORK_ALLOWLIST: '127.0.0.2' });
});

afterAll(async () => {
  expect(await srv?.stop()).toBe(0);
  expect(await allowSrv?.stop()).toBe(0);
  await fx?.close();
  await new Promise<void>((resolve) => (store ? store.close(() => resolve()) : resolve()));
  media?.cleanup();
  if (srv) removeDir(srv.dataDir);
  if (allowSrv) removeDir(allowSrv.dataDir);
});

describe('API keys', () => {
  it('/v1 needs a valid Bearer key; health, docs and the OpenAPI description stay open', async () => {
    const none = await srv.post('/v1/gen_video', { draft_url: 'https://example.com/d.json' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await none.json()).detail).toMatch(/API Key/);
    const wrong = await srv.post('/v1/gen_video', {}, { Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect((await srv.fetch('/v1/gen_video/x')).status).toBe(401);
    expect((await srv.post('/v1/gen_video_status', {})).status).toBe(401);

    expect((await srv.post('/v1/gen_video', {}, auth)).status).toBe(400); // past auth: draft_url是必填项
    expect((await srv.post('/v1/gen_video', {}, { Authorization: 'Bearer key-two-0123456789' })).status).toBe(400);
    expect((await srv.fetch('/v1/gen_video/x', { headers: auth })).status).toBe(404);

    expect((await srv.fetch('/healthz')).status).toBe(200);
    expect((await srv.fetch('/docs')).status).toBe(200);
    const doc = await (await srv.fetch('/openapi.json')).json();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('private network refused by default', () => {
  const refused = async (draftUrl: string) => {
    const res = await srv.post('/v1/gen_video', { draft_url: draftUrl }, auth);
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toMatch(/^draft_url格式无效: private network address refused/);
  };

  it('refuses drafts on loopback, private and link-local addresses, however they are written', async () => {
    const port = new URL(fx.baseUrl).port;
    await refused(fx.setDraft('private.json', tinyDraft(fx.mediaUrl('red.mp4'))));
    await refused(`http://localhost:${port}/drafts/private.json`);
    await refused(`http://[::ffff:127.0.0.1]:${port}/drafts/private.json`);
    await refused(`https://ts.fyshark.com/#/cozeToJianyin?drafId=http://127.0.0.1:${port}/drafts/private.json`);
    await refused('http://169.254.169.254/latest/meta-data/');
    await refused('http://10.0.0.1/draft.json');
    // The machine's own non-loopback address is private too (in this sandbox: 192.0.2.x / 10.x / 172.x).
    const own = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (own) await refused(`http://${own.address}:${port}/drafts/private.json`);
    expect(fx.hits('/drafts/private.json')).toBe(0); // never even asked
  });

  it('refuses a redirect URL served from a private host before following it', async () => {
    await refused(fx.redirectUrl('https://example.com/draft.json'));
  });

  // A redirect from a *public* host to a private one needs a public first hop, which a closed test
  // network does not have: an allowlisted private address (PRIVATE_NETWORK_ALLOWLIST) stands in for it.
  it('refuses a redirect from an allowed host to a private address', async () => {
    // Control: the allowlisted address itself is reachable. The draft loads, and its material on
    // 127.0.0.1 (not allowlisted) is what gets refused.
    storeDrafts.set('/direct.json', JSON.stringify(tinyDraft(fx.mediaUrl('red.mp4'))));
    const direct = await allowSrv.post('/v1/gen_video', { draft_url: `${storeBase}/direct.json` });
    expect(direct.status).toBe(400);
    expect((await direct.json()).detail).toBe(
      `素材无法访问: red.mp4: private network address refused (${fx.mediaUrl('red.mp4')})`,
    );

    const res = await allowSrv.post('/v1/gen_video', { draft_url: `${storeBase}/draft.json` });
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toMatch(/^draft_url格式无效: private network address refused/);
    expect(storeHits).toEqual(['/direct.json', '/draft.json']); // the allowed first hop was asked
    expect(fx.hits('/drafts/behind-redirect.json')).toBe(0); // the hop to 127.0.0.1 never connected
    expect(fx.hits('/media/red.mp4')).toBe(0);
  });

  it('refuses a private callback_url at submission (400), and never POSTs to it', async () => {
    for (const callback_url of [fx.callbackUrl('private-cb'), 'http://localhost:9/cb', 'http://[::1]:9/cb', 'http://10.0.0.8/cb']) {
      const res = await srv.post('/v1/gen_video', { draft_url: 'https://drafts.example.com/d.json', callback_url }, auth);
      expect(res.status).toBe(400);
      expect((await res.json()).detail).toMatch(/^callback_url格式无效: private network address refused: /);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(fx.callbacks('private-cb')).toHaveLength(0);
  });
});
