/**
 * `draft_url` → parsed draft plus where it came from (draft-format.md §1).
 * Network reads go through safe-fetch (SSRF guard, timeout, size cap); every failure becomes a
 * GenVideoError with the API table's code.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { GenVideoError } from '../errors';
import { fetchBuffer, FetchError, formatBytes, hostOf, type ResolveHost } from '../net/safe-fetch';
import { parseDraft, type Draft } from './schema';
import { classifyDraftSource, DRAFT_FILE_NAMES } from './source';
import type { DraftContext } from './types';
import { parseJsonText, unwrapDraft, type Unwrapped } from './unwrap';

export { classifyDraftSource, resolveDraftUrl, type DraftSource } from './source';
export { unwrapDraft, parseJsonText, type Unwrapped } from './unwrap';

export const DEFAULT_DRAFT_TIMEOUT_MS = 20_000;
export const DEFAULT_DRAFT_MAX_BYTES = 50 * 1024 * 1024;

export const PRIVATE_NETWORK_REFUSED = 'private network address refused (set ALLOW_PRIVATE_NETWORK=true to allow)';

export interface LoadDraftOptions {
  /** CLI only: accept a local file or folder path. */
  allowLocalFiles?: boolean;
  /** Accept loopback/private/link-local hosts (tests, trusted setups). */
  allowPrivateNetwork?: boolean;
  /** Exact IPs exempt from the private-address check; every redirect hop is still checked. */
  allowAddresses?: readonly string[];
  /** Per document fetched; default 20 s. */
  timeoutMs?: number;
  /** Per document fetched; default 50 MB. */
  maxBytes?: number;
  signal?: AbortSignal;
  /** Replaces DNS (tests); answers still pass the private-address check. */
  resolveHost?: ResolveHost;
}

export interface LoadedDraft {
  draft: Draft;
  context: DraftContext;
  /** The unwrapped draft object as read (before defaults were filled in), for hashing. */
  json: unknown;
}

export async function loadDraft(source: string, opts: LoadDraftOptions = {}): Promise<LoadedDraft> {
  const where = classifyDraftSource(source);
  if (where.kind === 'file') {
    if (!opts.allowLocalFiles) throw new GenVideoError('DRAFT_URL_INVALID', 'local file paths are not accepted here');
    return loadLocalDraft(where.path, opts);
  }
  return loadRemoteDraft(where.url, opts);
}

async function loadRemoteDraft(url: string, opts: LoadDraftOptions): Promise<LoadedDraft> {
  const first = unwrapDraft(await fetchJson(url, opts));
  if (first.kind !== 'file-list') return finish(first, { draftUrl: url }, url);

  // capcut-mate: the answer lists the draft folder's files; the draft is one of them and the
  // rest are its materials, which the timeline resolves `assets/...` paths against.
  const fileUrls = first.files.map((f) => absoluteUrl(f, url)).filter((f): f is string => f !== undefined);
  const draftUrl = pickDraftFile(fileUrls);
  if (!draftUrl) {
    throw new GenVideoError('DRAFT_INVALID', `the file list from ${hostOf(url)} has no ${DRAFT_FILE_NAMES.join(' or ')}`);
  }
  const second = unwrapDraft(await fetchJson(draftUrl, opts));
  return finish(second, { draftUrl, fileUrls }, draftUrl);
}

/** The first listed file named draft_content.json, else draft_info.json. */
export function pickDraftFile(fileUrls: readonly string[]): string | undefined {
  for (const name of DRAFT_FILE_NAMES) {
    const found = fileUrls.find((u) => fileNameOf(u).toLowerCase() === name);
    if (found) return found;
  }
  return undefined;
}

async function loadLocalDraft(target: string, opts: LoadDraftOptions): Promise<LoadedDraft> {
  const file = await findLocalDraftFile(target);
  const maxBytes = opts.maxBytes ?? DEFAULT_DRAFT_MAX_BYTES;
  const { size } = await stat(file);
  if (size > maxBytes) throw new GenVideoError('DRAFT_INVALID', `draft file is larger than ${formatBytes(maxBytes)}`);
  const body = await readFile(file);
  const unwrapped = unwrapDraft(parseJsonText(body, path.basename(file)));
  return finish(unwrapped, { localDir: path.dirname(file) }, file);
}

async function findLocalDraftFile(target: string): Promise<string> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new GenVideoError('DRAFT_NOT_FOUND', `no such file: ${target}`);
  if (info.isFile()) return target;
  if (info.isDirectory()) {
    for (const name of DRAFT_FILE_NAMES) {
      const candidate = path.join(target, name);
      if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
    }
    throw new GenVideoError('DRAFT_NOT_FOUND', `no ${DRAFT_FILE_NAMES.join(' or ')} in ${target}`);
  }
  throw new GenVideoError('DRAFT_NOT_FOUND', `not a file: ${target}`);
}

function finish(unwrapped: Unwrapped, context: DraftContext, origin: string): LoadedDraft {
  switch (unwrapped.kind) {
    case 'draft':
      return { draft: parseDraft(unwrapped.json), context, json: unwrapped.json };
    case 'service-error':
      throw new GenVideoError('DRAFT_NOT_FOUND', `${hostOf(origin)} answered: ${unwrapped.message.slice(0, 200)}`);
    case 'file-list':
      throw new GenVideoError('DRAFT_INVALID', `expected a draft, got a file list from ${hostOf(origin)}`);
    case 'other':
      // parseDraft explains what the document is instead (e.g. a Coze2JianYing export).
      return { draft: parseDraft(unwrapped.json), context, json: unwrapped.json };
  }
}

async function fetchJson(url: string, opts: LoadDraftOptions): Promise<unknown> {
  const maxBytes = opts.maxBytes ?? DEFAULT_DRAFT_MAX_BYTES;
  let body: Buffer;
  try {
    ({ body } = await fetchBuffer(url, {
      timeoutMs: opts.timeoutMs ?? DEFAULT_DRAFT_TIMEOUT_MS,
      maxBytes,
      allowPrivateNetwork: opts.allowPrivateNetwork,
      allowAddresses: opts.allowAddresses,
      signal: opts.signal,
      resolveHost: opts.resolveHost,
      headers: { accept: 'application/json, */*;q=0.5' },
    }));
  } catch (e) {
    if (e instanceof FetchError && e.kind === 'aborted' && opts.signal?.reason !== undefined) throw opts.signal.reason;
    throw e instanceof FetchError ? draftFetchError(e, maxBytes) : e;
  }
  return parseJsonText(body, `the document at ${hostOf(url)}`);
}

/** A failed draft download in the API table's terms. */
export function draftFetchError(e: FetchError, maxBytes = DEFAULT_DRAFT_MAX_BYTES): GenVideoError {
  const host = hostOf(e.url);
  switch (e.kind) {
    case 'bad-url':
      return new GenVideoError('DRAFT_URL_INVALID', e.message, { cause: e });
    case 'private-address':
      return new GenVideoError('DRAFT_URL_INVALID', PRIVATE_NETWORK_REFUSED, { cause: e });
    case 'http-status':
      if (e.status === 404 || e.status === 410) return new GenVideoError('DRAFT_NOT_FOUND', undefined, { cause: e });
      return new GenVideoError('DRAFT_NOT_FOUND', e.message.includes(host) ? e.message : `${e.message} from ${host}`, { cause: e });
    case 'too-large':
      return new GenVideoError('DRAFT_INVALID', `draft is larger than ${formatBytes(maxBytes)}`, { cause: e });
    case 'timeout':
    case 'stalled':
      return new GenVideoError('DRAFT_NOT_FOUND', `${e.message} fetching from ${host}`, { cause: e });
    case 'network':
    case 'aborted':
      return new GenVideoError('DRAFT_NOT_FOUND', e.message.includes(host) ? e.message : `${e.message} (${host})`, { cause: e });
  }
}

function absoluteUrl(entry: string, base: string): string | undefined {
  try {
    const url = new URL(entry.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function fileNameOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  } catch {
    return '';
  }
}
