/** HMAC-signed, expiring video URLs for local storage: `/videos/<key>?expires=<unix s>&sig=<hmac>`. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const sign = (secret: string, key: string, expiresSec: number): string =>
  createHmac('sha256', secret).update(`${key}\n${expiresSec}`).digest('base64url');

export type Verdict = 'ok' | 'expired' | 'invalid';

export function verify(secret: string, key: string, expires: string | undefined, sig: string | undefined, nowSec = Date.now() / 1000): Verdict {
  if (!expires || !sig || !/^\d{1,12}$/.test(expires)) return 'invalid';
  const expected = Buffer.from(sign(secret, key, Number(expires)));
  const given = Buffer.from(sig);
  // Check the signature first: an expired URL with a forged expiry is "invalid", not "expired".
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return Number(expires) < nowSec ? 'expired' : 'ok';
}

/** URL_SIGNING_SECRET, or a random one generated once and kept in DATA_DIR (so URLs survive restarts). */
export function loadOrCreateSecret(dataDir: string, given?: string): string {
  if (given) return given;
  const file = path.join(dataDir, 'url-signing-secret');
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8').trim();
    if (text.length >= 16) return text;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${secret}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  try {
    chmodSync(file, 0o600);
  } catch {
    // best effort
  }
  return secret;
}
