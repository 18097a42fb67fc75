import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '@remotion/bundler';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = path.join(ROOT, 'src/composition/index.ts');
/** What the bundle is built from: a change to any of these makes a new bundle. */
const INPUTS = ['src/composition', 'src/timeline', 'package-lock.json'];

const listFiles = (p: string): string[] => {
  if (!existsSync(p)) return [];
  if (statSync(p).isFile()) return [p];
  return readdirSync(p)
    .sort()
    .flatMap((name) => listFiles(path.join(p, name)));
};

/** A hash of the bundle's sources: the same sources make the same bundle (and Lambda site name). */
export const inputsHash = (): string => {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => listFiles(path.join(ROOT, p)))) {
    hash.update(path.relative(ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
};

/** A bundle holds every font (over 100 MB): keep the current one, drop those unused for a day. */
const removeStaleBundles = (cacheRoot: string, keep: string) => {
  const staleBeforeMs = Date.now() - 86_400_000;
  for (const name of readdirSync(cacheRoot)) {
    const dir = path.join(cacheRoot, name);
    if (dir === keep || !name.startsWith('bundle-')) continue;
    try {
      if (statSync(dir).mtimeMs < staleBeforeMs) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Gone already (another process cleaned up).
    }
  }
};

let bundlePromise: Promise<string> | undefined;
let bundleDir: string | undefined;

/**
 * Bundles the composition once per process; across processes the bundle is kept on disk under
 * node_modules/.cache keyed by a hash of its sources, so tests and restarts skip webpack.
 */
export const getServeUrl = async (): Promise<string> => {
  // Another process may have cleaned our bundle away (see removeStaleBundles): build it again.
  if (bundleDir && !existsSync(path.join(bundleDir, 'index.html'))) bundlePromise = undefined;
  bundlePromise ??= (async () => {
    const cacheRoot = path.join(ROOT, 'node_modules/.cache/gen-video');
    const outDir = path.join(cacheRoot, `bundle-${inputsHash()}`);
    if (existsSync(path.join(outDir, 'index.html'))) return outDir;
    const tmpDir = `${outDir}.tmp-${process.pid}-${Date.now()}`;
    await bundle({ entryPoint: ENTRY, outDir: tmpDir, enableCaching: true });
    try {
      renameSync(tmpDir, outDir);
    } catch {
      // Another process finished the same bundle first; theirs is identical.
      rmSync(tmpDir, { recursive: true, force: true });
    }
    removeStaleBundles(cacheRoot, outDir);
    return outDir;
  })().catch((err) => {
    bundlePromise = undefined;
    throw err;
  });
  bundleDir = await bundlePromise;
  // Marks the bundle as in use, so other processes' clean-ups leave it alone.
  const now = new Date();
  utimesSync(bundleDir, now, now);
  return bundleDir;
};
