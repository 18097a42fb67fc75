/** HTTP plumbing shared by the routes: errors that are not in the API's table, JSON bodies, the one error handler. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { GenVideoError, isGenVideoError } from '../src/errors';
import type { Logger } from './log';

/** An error answer outside the API's error table (auth, unknown task, unusable body...). */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;.*)?$/i;
export const MAX_BODY_BYTES = 64 * 1024;

/** Seconds a client is asked to wait before trying again after 503 服务繁忙. */
export const BUSY_RETRY_AFTER_SEC = 30;

/** Headers of an error answer: a 503 says when to come back. */
export const errorHeaders = (status: number): Record<string, string> => (status === 503 ? { 'Retry-After': String(BUSY_RETRY_AFTER_SEC) } : {});

/**
 * The request body as JSON. No body at all counts as `{}` (so the answer is "draft_url是必填项");
 * a body in another content type or malformed JSON is a clear 400, never a 500.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const contentType = c.req.header('content-type');
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw new ApiError(400, '请求体读取失败');
  }
  if (text.trim() === '') return {};
  if (contentType && !JSON_TYPE.test(contentType.trim())) {
    throw new ApiError(400, `请求体必须是JSON（Content-Type: application/json），收到的是 ${contentType.split(';')[0].trim()}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `请求体不是有效的JSON: ${(e as Error).message}`);
  }
}

/** The one place errors become responses: `{"detail": "..."}` with the right status, no stack traces. */
export function errorHandler(log: Logger) {
  return (err: Error, c: Context) => {
    if (isGenVideoError(err)) return c.json({ detail: err.detail }, err.status as ContentfulStatusCode, errorHeaders(err.status));
    if (err instanceof ApiError) return c.json({ detail: err.detail }, err.status, err.headers);
    if (err instanceof HTTPException) {
      // Hono's own (e.g. body parsing): keep the 4xx, say it plainly.
      const status = err.status === 415 ? 400 : err.status;
      if (status < 500) return c.json({ detail: err.message || 'Bad Request' }, status as ContentfulStatusCode);
    }
    log.error(`${c.req.method} ${c.req.path}: unhandled error`, err);
    const fallback = new GenVideoError('RENDER_FAILED');
    return c.json({ detail: fallback.detail }, 500);
  };
}
