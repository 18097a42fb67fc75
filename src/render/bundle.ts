import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
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

const inputsHash = (): string => {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => listFiles(path.join(ROOT, p)))) {
    hash.update(path.relative(ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
};

let bundlePromise: Promise<string> | undefined;

/**
 * Bundles the composition once per process; across processes the bundle is kept on disk under
 * node_modules/.cache keyed by a hash of its sources, so tests and restarts skip webpack.
 */
export const getServeUrl = (): Promise<string> => {
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
    return outDir;
  })().catch((err) => {
    bundlePromise = undefined;
    throw err;
  });
  return bundlePromise;
};
