/**
 * Services hand drafts over in different envelopes (draft-format.md §1): `{"data": {...}}`,
 * `{"draft": {...}}`, the draft as a JSON string (sometimes a string inside a string), or a
 * capcut-mate file list. This module peels those off; it never validates the draft itself.
 */
import { GenVideoError } from '../errors';

export type Unwrapped =
  /** Has `tracks`/`materials`: a draft for `parseDraft`. */
  | { kind: 'draft'; json: Record<string, unknown> }
  /** capcut-mate `get_draft` answer: the URLs of every file in the draft folder. */
  | { kind: 'file-list'; files: string[] }
  /** A service's error envelope (`{"code": 2001, "message": "..."}`): the draft is not there. */
  | { kind: 'service-error'; message: string }
  /** None of the above: handed to `parseDraft`, which explains what is wrong with it. */
  | { kind: 'other'; json: unknown };

/** Keys under which wrappers keep the draft, most specific first. */
const WRAPPER_KEYS = ['draft', 'draft_content', 'draft_info', 'data', 'content', 'result'];
/** Enough for every envelope seen; stops a hostile document from recursing forever. */
const MAX_DEPTH = 8;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Looks like a JianYing draft (the same test `parseDraft` applies first). */
export const isDraftObject = (v: unknown): boolean => isObject(v) && ('tracks' in v || 'materials' in v);

/** Parses a document as JSON (UTF-8, BOM allowed); throws DRAFT_INVALID when it is not. */
export function parseJsonText(body: Buffer | string, origin = 'the draft'): unknown {
  const text = (typeof body === 'string' ? body : body.toString('utf8')).replace(/^\uFEFF/, '').trim();
  if (!text) throw new GenVideoError('DRAFT_INVALID', `${origin} is empty`);
  try {
    return JSON.parse(text);
  } catch {
    throw new GenVideoError('DRAFT_INVALID', `${origin} is not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`);
  }
}

export function unwrapDraft(value: unknown): Unwrapped {
  let current = value;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (typeof current === 'string') {
      const parsed = tryParseJson(current);
      if (parsed === undefined) break;
      current = parsed;
      continue;
    }
    if (!isObject(current)) break;
    if (isDraftObject(current)) return { kind: 'draft', json: current };

    const files = current.files;
    if (Array.isArray(files) && files.every((f) => typeof f === 'string') && isSuccess(current)) {
      return { kind: 'file-list', files: files as string[] };
    }
    const envelope = current;
    const inner = WRAPPER_KEYS.map((k) => envelope[k]).find(
      (v) => isObject(v) || (typeof v === 'string' && /^\s*[{["]/.test(v)),
    );
    if (inner !== undefined) {
      current = inner;
      continue;
    }
    const failure = serviceFailure(current);
    if (failure !== undefined) return { kind: 'service-error', message: failure };
    break;
  }
  return { kind: 'other', json: current };
}

/** capcut-mate and similar put `code: 0` on success; absent means the service does not use codes. */
function isSuccess(envelope: Record<string, unknown>): boolean {
  const code = envelope.code;
  return code === undefined || code === 0 || code === '0' || code === 200;
}

function serviceFailure(envelope: Record<string, unknown>): string | undefined {
  const message = [envelope.message, envelope.msg, envelope.detail, envelope.error].find(
    (m) => typeof m === 'string' && m.trim(),
  ) as string | undefined;
  if (!isSuccess(envelope)) return `${message ?? 'error'} (code ${String(envelope.code)})`;
  const keys = Object.keys(envelope);
  const onlyMessage = keys.every((k) => ['message', 'msg', 'detail', 'error', 'code', 'success', 'status'].includes(k));
  return onlyMessage && message ? message : undefined;
}

function tryParseJson(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!/^[{["]/.test(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}
