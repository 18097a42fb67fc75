import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  classifyDraftSource,
  loadDraft,
  pickDraftFile,
  PRIVATE_NETWORK_REFUSED,
  resolveDraftUrl,
  unwrapDraft,
} from '../../src/draft/load';
import { GenVideoError, type ErrorCode } from '../../src/errors';

const DRAFT = {
  canvas_config: { width: 640, height: 360, ratio: '16:9' },
  fps: 30,
  duration: 1_000_000,
  tracks: [],
  materials: {},
};

let server: http.Server;
let base: string;
const hits = new Map<string, number>();

const json = (res: http.ServerResponse, value: unknown) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));

const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void> = {
  '/draft.json': (_q, res) => json(res, DRAFT),
  '/wrapped-data.json': (_q, res) => json(res, { code: 0, data: DRAFT }),
  '/wrapped-draft.json': (_q, res) => json(res, { draft: DRAFT }),
  '/as-string.json': (_q, res) => json(res, { data: JSON.stringify(DRAFT) }),
  '/string-in-string.json': (_q, res) => json(res, JSON.stringify({ draft: JSON.stringify(DRAFT) })),
  '/bom.json': (_q, res) => res.writeHead(200).end(`\uFEFF${JSON.stringify(DRAFT)}`),
  '/openapi/capcut-mate/v1/get_draft': (_q, res, url) => {
    const id = url.searchParams.get('draft_id');
    if (id !== 'abc123') return json(res, { code: 2001, message: 'invalid draft url' });
    json(res, {
      code: 0,
      message: 'success',
      files: [
        `${base}/drafts/abc123/assets/video/clip.mp4`,
        `${base}/drafts/abc123/draft_info.json`,
        `${base}/drafts/abc123/draft_content.json`,
        `${base}/drafts/abc123/draft_meta_info.json`,
      ],
    });
  },
  '/drafts/abc123/draft_content.json': (_q, res) => json(res, DRAFT),
  '/drafts/abc123/draft_info.json': (_q, res) => json(res, { wrong: 'file' }),
  '/gone.json': (_q, res) => res.writeHead(410).end(),
  '/broken.json': (_q, res) => res.writeHead(500).end('boom'),
  '/html': (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'),
  '/coze2jianying.json': (_q, res) => json(res, { format_version: '1.0', drafts: [] }),
  '/slow.json': () => {
    // never answers
  },
  '/huge.json': (_q, res) => {
    res.writeHead(200, { 'content-length': String(3 * 1024 * 1024) });
    res.end(Buffer.alloc(3 * 1024 * 1024, 32));
  },
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const route = routes[url.pathname];
    if (route) route(req, res, url);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => hits.clear());

const allowLocal = { allowPrivateNetwork: true };

async function rejection(p: Promise<unknown>, code: ErrorCode): Promise<GenVideoError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GenVideoError);
    expect((e as GenVideoError).code).toBe(code);
    return e as GenVideoError;
  }
  throw new Error(`expected ${code}`);
}

describe('resolveDraftUrl', () => {
  const inner = 'https://video-snot-12220.oss-cn-shanghai.aliyuncs.com/2025-05-28/draft/2f52a63b.json';

  it('takes the drafId from a fyshark hash fragment', () => {
    expect(resolveDraftUrl(`https://ts.fyshark.com/#/cozeToJianyin?drafId=${inner}`)).toBe(inner);
  });

  it('URL-decodes an encoded drafId', () => {
    expect(resolveDraftUrl(`https://ts.fyshark.com/#/cozeToJianyin?drafId=${encodeURIComponent(inner)}`)).toBe(inner);
    const twice = encodeURIComponent(encodeURIComponent(inner));
    expect(resolveDraftUrl(`https://ts.fyshark.com/#/cozeToJianyin?drafId=${twice}`)).toBe(inner);
  });

  it('keeps the query of a raw inner URL, and stops an encoded one at the next parameter', () => {
    const signed = `${inner}?Expires=1&Signature=abc`;
    expect(resolveDraftUrl(`https://ts.fyshark.com/#/cozeToJianyin?drafId=${signed}`)).toBe(signed);
    expect(
      resolveDraftUrl(`https://ts.fyshark.com/#/cozeToJianyin?drafId=${encodeURIComponent(signed)}&from=coze`),
    ).toBe(signed);
  });

  it('returns a plain URL unchanged', () => {
    expect(resolveDraftUrl(inner)).toBe(inner);
    expect(resolveDraftUrl('https://capcut-mate.example.com/openapi/capcut-mate/v1/get_draft?draft_id=x')).toBe(
      'https://capcut-mate.example.com/openapi/capcut-mate/v1/get_draft?draft_id=x',
    );
  });

  it.each([
    ['not a URL', 'hello'],
    ['ftp', 'ftp://example.com/draft.json'],
    ['javascript', 'javascript:alert(1)'],
    ['fyshark link without drafId', 'https://ts.fyshark.com/#/cozeToJianyin'],
    ['fyshark link with a non-http drafId', 'https://ts.fyshark.com/#/cozeToJianyin?drafId=file:///etc/passwd'],
  ])('refuses %s', (_label, url) => {
    expect(() => resolveDraftUrl(url)).toThrow(GenVideoError);
    try {
      resolveDraftUrl(url);
    } catch (e) {
      expect((e as GenVideoError).code).toBe('DRAFT_URL_INVALID');
    }
  });

  it('classifies local paths and empty input', () => {
    expect(classifyDraftSource('/tmp/x/draft_content.json')).toEqual({ kind: 'file', path: '/tmp/x/draft_content.json' });
    expect(classifyDraftSource('file:///tmp/x')).toEqual({ kind: 'file', path: '/tmp/x' });
    expect(classifyDraftSource('./d.json').kind).toBe('file');
    expect(classifyDraftSource('C:\\Users\\me\\draft').kind).toBe('file');
    expect(() => classifyDraftSource('  ')).toThrow(expect.objectContaining({ code: 'DRAFT_URL_REQUIRED' }));
  });
});

describe('unwrapDraft', () => {
  it('peels wrappers and JSON strings', () => {
    expect(unwrapDraft(DRAFT)).toEqual({ kind: 'draft', json: DRAFT });
    expect(unwrapDraft({ data: DRAFT })).toEqual({ kind: 'draft', json: DRAFT });
    expect(unwrapDraft({ draft: DRAFT })).toEqual({ kind: 'draft', json: DRAFT });
    expect(unwrapDraft(JSON.stringify(JSON.stringify({ data: { draft: DRAFT } })))).toEqual({ kind: 'draft', json: DRAFT });
  });

  it('recognises capcut-mate file lists and error envelopes', () => {
    expect(unwrapDraft({ code: 0, files: ['a', 'b'] })).toEqual({ kind: 'file-list', files: ['a', 'b'] });
    expect(unwrapDraft({ code: 2001, message: 'invalid draft url' })).toEqual({
      kind: 'service-error',
      message: 'invalid draft url (code 2001)',
    });
    expect(unwrapDraft({ something: 'else' }).kind).toBe('other');
  });

  it('picks draft_content.json before draft_info.json', () => {
    expect(pickDraftFile(['https://h/a/draft_info.json', 'https://h/a/draft_content.json'])).toBe('https://h/a/draft_content.json');
    expect(pickDraftFile(['https://h/a/draft_info.json', 'https://h/a/x.mp4'])).toBe('https://h/a/draft_info.json');
    expect(pickDraftFile(['https://h/a/x.mp4'])).toBeUndefined();
  });
});

describe('loadDraft over HTTP', () => {
  it('loads a plain draft URL', async () => {
    const { draft, context, json: raw } = await loadDraft(`${base}/draft.json`, allowLocal);
    expect(draft.canvas_config?.width).toBe(640);
    expect(context).toEqual({ draftUrl: `${base}/draft.json` });
    expect(raw).toEqual(DRAFT);
  });

  it('loads through a fyshark link', async () => {
    const link = `https://ts.fyshark.com/#/cozeToJianyin?drafId=${encodeURIComponent(`${base}/draft.json`)}`;
    const { context } = await loadDraft(link, allowLocal);
    expect(context.draftUrl).toBe(`${base}/draft.json`);
    expect(hits.get('/draft.json')).toBe(1);
  });

  it.each(['/wrapped-data.json', '/wrapped-draft.json', '/as-string.json', '/string-in-string.json', '/bom.json'])(
    'unwraps %s',
    async (route) => {
      const { json: raw, draft } = await loadDraft(`${base}${route}`, allowLocal);
      expect(raw).toEqual(DRAFT);
      expect(draft.fps).toBe(30);
    },
  );

  it('follows a capcut-mate file list to draft_content.json', async () => {
    const url = `${base}/openapi/capcut-mate/v1/get_draft?draft_id=abc123`;
    const { context, json: raw } = await loadDraft(url, allowLocal);
    expect(raw).toEqual(DRAFT);
    expect(context.draftUrl).toBe(`${base}/drafts/abc123/draft_content.json`);
    expect(context.fileUrls).toHaveLength(4);
    expect(context.fileUrls).toContain(`${base}/drafts/abc123/assets/video/clip.mp4`);
    expect(hits.get('/drafts/abc123/draft_info.json')).toBeUndefined();
  });

  it('reports a capcut-mate error answer as not found', async () => {
    const e = await rejection(
      loadDraft(`${base}/openapi/capcut-mate/v1/get_draft?draft_id=nope`, allowLocal),
      'DRAFT_NOT_FOUND',
    );
    expect(e.message).toContain('invalid draft url');
  });

  it('maps 404 and 410 to DRAFT_NOT_FOUND', async () => {
    await rejection(loadDraft(`${base}/nothing-here.json`, allowLocal), 'DRAFT_NOT_FOUND');
    const e = await rejection(loadDraft(`${base}/gone.json`, allowLocal), 'DRAFT_NOT_FOUND');
    expect(e.message).toBe('草稿不存在');
  });

  it('names the status and host of other HTTP errors', async () => {
    const e = await rejection(loadDraft(`${base}/broken.json`, allowLocal), 'DRAFT_NOT_FOUND');
    expect(e.message).toBe(`草稿不存在: HTTP 500 from ${new URL(base).host}`);
  });

  it('refuses a private address by default', async () => {
    const e = await rejection(loadDraft(`${base}/draft.json`), 'DRAFT_URL_INVALID');
    expect(e.reason).toBe(PRIVATE_NETWORK_REFUSED);
    expect(hits.size).toBe(0);
  });

  // Redirect hops are re-checked inside safe-fetch: see test/net/safe-fetch.test.ts.
  it('refuses a name that resolves to a private address', async () => {
    const e = await rejection(
      loadDraft('http://drafts.example.test/draft.json', {
        resolveHost: async () => [{ address: '10.0.0.8', family: 4 }],
      }),
      'DRAFT_URL_INVALID',
    );
    expect(e.reason).toBe(PRIVATE_NETWORK_REFUSED);
  });

  it('reports a body that is not JSON as DRAFT_INVALID', async () => {
    await rejection(loadDraft(`${base}/html`, allowLocal), 'DRAFT_INVALID');
  });

  it("lets parseDraft explain what a document that isn't a draft is", async () => {
    const e = await rejection(loadDraft(`${base}/coze2jianying.json`, allowLocal), 'DRAFT_INVALID');
    expect(e.message).toContain('Coze2JianYing');
  });

  it('times out', async () => {
    const e = await rejection(loadDraft(`${base}/slow.json`, { ...allowLocal, timeoutMs: 300 }), 'DRAFT_NOT_FOUND');
    expect(e.message).toMatch(/timed out/);
  });

  it('caps the size', async () => {
    const e = await rejection(loadDraft(`${base}/huge.json`, { ...allowLocal, maxBytes: 1024 * 1024 }), 'DRAFT_INVALID');
    expect(e.message).toContain('larger than 1 MB');
  });

  it('reports an unreachable host as not found, with the reason', async () => {
    const e = await rejection(
      loadDraft('http://no-such-host.invalid/draft.json', {
        resolveHost: async () => {
          throw Object.assign(new Error('getaddrinfo ENOTFOUND no-such-host.invalid'), { code: 'ENOTFOUND' });
        },
      }),
      'DRAFT_NOT_FOUND',
    );
    expect(e.message).toContain('no-such-host.invalid');
  });
});

describe('loadDraft from local files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'load-draft-test-'));
    mkdirSync(path.join(dir, 'folder'));
    writeFileSync(path.join(dir, 'folder', 'draft_info.json'), JSON.stringify(DRAFT));
    writeFileSync(path.join(dir, 'wrapped.json'), JSON.stringify({ data: DRAFT }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file only when local files are allowed', async () => {
    const file = path.join(dir, 'wrapped.json');
    await rejection(loadDraft(file), 'DRAFT_URL_INVALID');
    const { context, json: raw } = await loadDraft(file, { allowLocalFiles: true });
    expect(raw).toEqual(DRAFT);
    expect(context).toEqual({ localDir: dir });
  });

  it('finds the draft file in a folder', async () => {
    const { context } = await loadDraft(path.join(dir, 'folder'), { allowLocalFiles: true });
    expect(context.localDir).toBe(path.join(dir, 'folder'));
  });

  it('reports a missing file as not found', async () => {
    await rejection(loadDraft(path.join(dir, 'missing.json'), { allowLocalFiles: true }), 'DRAFT_NOT_FOUND');
    await rejection(loadDraft(dir, { allowLocalFiles: true }), 'DRAFT_NOT_FOUND');
  });
});
