/** Where finished videos go and how clients get them. */
export interface VideoStorage {
  readonly kind: 'local' | 's3';
  /** Stores the file under `key`. The local file may be moved (it is the caller's temp file). */
  put(localFile: string, key: string): Promise<void>;
  /** A URL that downloads the video for `ttlSec` seconds. */
  url(key: string, ttlSec: number): Promise<string>;
  exists(key: string): Promise<boolean>;
  /** Copies a stored object to a local file (complete, or not at all). */
  get(key: string, localFile: string): Promise<void>;
  /** Removes an object; a missing one is no error. */
  remove(key: string): Promise<void>;
  /** False when a URL handed out earlier no longer points here (e.g. the public base URL changed). */
  isCurrentUrl?(url: string): boolean;
}

/** Keys are file names we make ourselves (`<task_id>.mp4`); anything else is refused. */
export const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe storage key: ${key}`);
}
