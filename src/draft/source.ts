/**
 * What a `draft_url` points at (draft-format.md §1): an http(s) URL of the draft JSON (after
 * unwrapping a fyshark viewer link), or a local file/folder (CLI only).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenVideoError } from '../errors';

export type DraftSource = { kind: 'url'; url: string } | { kind: 'file'; path: string };

/** Names of the draft JSON inside a draft folder, best first. */
export const DRAFT_FILE_NAMES = ['draft_content.json', 'draft_info.json'] as const;

/** Query keys under which viewer links carry the real draft URL. `drafId` (sic) is fyshark's. */
const DRAFT_URL_KEYS = ['drafId', 'draftId', 'draft_url', 'draftUrl'];

/**
 * Classifies `source` without touching the network or disk. Throws DRAFT_URL_REQUIRED for an
 * empty string and DRAFT_URL_INVALID for anything that is neither an http(s) URL nor a path.
 */
export function classifyDraftSource(source: string): DraftSource {
  const text = source.trim();
  if (!text) throw new GenVideoError('DRAFT_URL_REQUIRED');
  if (/^file:\/\//i.test(text)) {
    try {
      return { kind: 'file', path: fileURLToPath(text) };
    } catch {
      throw new GenVideoError('DRAFT_URL_INVALID', 'unusable file:// URL');
    }
  }
  if (looksLikeLocalPath(text)) return { kind: 'file', path: path.resolve(expandHome(text)) };
  return { kind: 'url', url: resolveDraftUrl(text) };
}

/**
 * The http(s) URL of the draft JSON that `draftUrl` designates: a fyshark link
 * (`https://ts.fyshark.com/#/cozeToJianyin?drafId=<URL>`) gives its `drafId`; any other
 * http(s) URL is itself the answer. Throws DRAFT_URL_INVALID otherwise.
 */
export function resolveDraftUrl(draftUrl: string): string {
  const text = draftUrl.trim();
  const url = parseHttpUrl(text);
  if (!url) throw new GenVideoError('DRAFT_URL_INVALID', 'not an http(s) URL');

  const embedded = embeddedDraftUrl(url);
  if (embedded !== undefined) {
    const inner = parseHttpUrl(embedded);
    if (!inner) throw new GenVideoError('DRAFT_URL_INVALID', 'the drafId in the link is not an http(s) URL');
    return inner.href;
  }
  if (isViewerLink(url)) throw new GenVideoError('DRAFT_URL_INVALID', 'the link has no drafId');
  return url.href;
}

/**
 * The draft URL carried inside a viewer link, looked for in the hash fragment first (fyshark's
 * single-page app keeps its query there), then in the ordinary query string.
 */
function embeddedDraftUrl(url: URL): string | undefined {
  const hash = url.hash.replace(/^#/, '');
  const hashQuery = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : hash.includes('=') ? hash : '';
  return valueOf(hashQuery) ?? valueOf(url.search.replace(/^\?/, ''));
}

function valueOf(query: string): string | undefined {
  if (!query) return undefined;
  for (const key of DRAFT_URL_KEYS) {
    const match = new RegExp(`(?:^|&)${key}=`).exec(query);
    if (!match) continue;
    const raw = query.slice(match.index + match[0].length);
    // Links are built both ways: with the inner URL percent-encoded (then `&` ends it) and
    // pasted raw (then its own `?a=1&b=2` belongs to it, so it runs to the end).
    const isRaw = /^https?:\/\//i.test(raw);
    const value = isRaw ? raw : decodeRepeatedly(raw.split('&')[0]);
    return value.trim();
  }
  return undefined;
}

/** Percent-decodes until stable (links are sometimes encoded twice); bad escapes are left as they are. */
function decodeRepeatedly(text: string): string {
  let current = text;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(current); i++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      break;
    }
  }
  return current;
}

function isViewerLink(url: URL): boolean {
  return url.hostname.endsWith('fyshark.com') && /cozeToJianyin/i.test(url.hash + url.pathname);
}

function parseHttpUrl(text: string): URL | undefined {
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Absolute or explicitly relative POSIX paths, `~/…`, and Windows drive/UNC paths. */
export function looksLikeLocalPath(text: string): boolean {
  return /^(\/|\.\.?[\\/]|~[\\/]|[a-zA-Z]:[\\/]|\\\\)/.test(text) || text === '.' || text === '..';
}

function expandHome(text: string): string {
  return /^~[\\/]/.test(text) ? path.join(os.homedir(), text.slice(2)) : text;
}
