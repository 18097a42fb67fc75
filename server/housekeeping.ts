/**
 * What a process cleans when it starts: whatever a predecessor that died left running or lying
 * around in its work folder (browsers, ffmpeg, temp files), and half-finished downloads.
 */
import { mkdirSync, readdirSync, rmSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { killAndRemove } from '../src/render/process/strays';
import type { Logger } from './log';

export async function cleanAtStart(o: { workDir: string; cacheDir: string; log: Logger }): Promise<void> {
  const killed = await killAndRemove(o.workDir);
  if (killed) o.log.warn(`killed ${killed} process(es) left running by an earlier run (browsers, ffmpeg under ${o.workDir})`);
  mkdirSync(o.workDir, { recursive: true });
  const parts = removePartFiles(o.cacheDir);
  if (parts) o.log.info(`removed ${parts} unfinished download(s) from the material cache`);
}

/** Unfinished downloads (`*.part`) left by a process that died; returns how many were removed. */
function removePartFiles(dir: string): number {
  let removed = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) removed += removePartFiles(p);
    else if (e.name.endsWith('.part')) {
      rmSync(p, { force: true });
      removed++;
    }
  }
  return removed;
}
