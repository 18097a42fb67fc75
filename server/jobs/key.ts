/** Which requests are "the same draft": the dedupe key and the content hash. */
import { createHash } from 'node:crypto';
import { resolveDraftUrl } from '../../src/draft/source';

/**
 * Normalised URL of the draft JSON: unwraps a fyshark-style link (resolveDraftUrl), lower-cases
 * scheme and host, drops default ports and the fragment. Synchronous on purpose: the key is needed
 * before any await so that concurrent POSTs of one draft join one job.
 * Throws GenVideoError DRAFT_URL_INVALID for links that carry no usable draft URL.
 */
export function draftKey(draftUrl: string): string {
  const u = new URL(resolveDraftUrl(draftUrl));
  u.hash = '';
  return u.href;
}

/** JSON with object keys sorted, so the same draft always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const contentHash = (draft: unknown): string => createHash('sha256').update(canonicalJson(draft)).digest('hex');
