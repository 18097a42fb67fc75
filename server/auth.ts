/** API keys: when API_KEYS is set, /v1/* needs `Authorization: Bearer <key>`. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './http';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function apiKeyAuth(keys: string[]): MiddlewareHandler {
  const digests = keys.map(digest);
  return async (c, next) => {
    if (digests.length === 0 || c.req.method === 'OPTIONS') return next();
    const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    const given = m ? digest(m[1].trim()) : undefined;
    // Compare fixed-length digests in constant time, against every key.
    const ok = given !== undefined && digests.reduce((found, d) => timingSafeEqual(d, given) || found, false);
    if (!ok) {
      throw new ApiError(401, m ? 'API Key 无效' : '需要 API Key：Authorization: Bearer <key>', {
        'WWW-Authenticate': 'Bearer realm="gen_video"',
      });
    }
    return next();
  };
}
