/** Videos on local disk under DATA_DIR/videos, served by this server at signed URLs (routes/videos.ts). */
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sign } from './signing';
import { assertSafeKey, type VideoStorage } from './types';

export interface LocalStorage extends VideoStorage {
  readonly kind: 'local';
  /** Absolute path of a stored video (the key is checked). */
  pathOf(key: string): string;
  readonly secret: string;
}

export function createLocalStorage(opts: { dir: string; secret: string; baseUrl: () => string }): LocalStorage {
  const pathOf = (key: string) => {
    assertSafeKey(key);
    return path.join(opts.dir, key);
  };
  return {
    kind: 'local',
    secret: opts.secret,
    pathOf,
    async put(localFile, key) {
      const dest = pathOf(key);
      await mkdir(opts.dir, { recursive: true });
      try {
        await rename(localFile, dest);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        // Another file system: copy beside the destination, then rename into place.
        const part = `${dest}.part`;
        await copyFile(localFile, part);
        await rename(part, dest);
        await rm(localFile, { force: true });
      }
    },
    async url(key, ttlSec) {
      assertSafeKey(key);
      const expires = Math.floor(Date.now() / 1000) + ttlSec;
      return `${opts.baseUrl()}/videos/${encodeURIComponent(key)}?expires=${expires}&sig=${sign(opts.secret, key, expires)}`;
    },
    isCurrentUrl: (url) => url.startsWith(`${opts.baseUrl()}/videos/`),
    async get(key, localFile) {
      const part = `${localFile}.part`;
      await copyFile(pathOf(key), part);
      await rename(part, localFile);
    },
    remove: (key) => rm(pathOf(key), { force: true }),
    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch {
        return false;
      }
    },
  };
}
