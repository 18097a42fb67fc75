/**
 * The reference video ready to render: media made in a temp dir, the draft beside them, both
 * served from 127.0.0.1, the composition bundled. Shared by the bench and the settings sweep.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getServeUrl } from '../src/render/bundle';
import { serveDir } from '../test/helpers/http-server';
import { makeBenchMedia, SYSTEM_FFMPEG } from './media';
import type { BenchPlan } from './plan';
import { referenceDraft } from './reference-draft';

export interface Reference {
  tmpDir: string;
  mediaDir: string;
  /** Caption images only the floor uses. */
  floorDir: string;
  draftUrl: string;
  setupSec: { media: number; bundle: number };
  close(): Promise<void>;
}

const secondsSince = (t: number) => (performance.now() - t) / 1000;

export const prepareReference = async (plan: BenchPlan, log: (line: string) => void): Promise<Reference> => {
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'gen-video-bench-'));
  // Ctrl-C would leave a few hundred MB of media behind.
  const onInterrupt = () => {
    rmSync(tmpDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  const removeAll = () => {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    rmSync(tmpDir, { recursive: true, force: true });
  };

  try {
    const mediaDir = path.join(tmpDir, 'media');
    const floorDir = path.join(tmpDir, 'floor');
    let t = performance.now();
    log(`making media with ${SYSTEM_FFMPEG} in ${tmpDir}`);
    await makeBenchMedia(plan, mediaDir, floorDir);
    const media = secondsSince(t);

    // A server bundles once, at its first job; the bench measures jobs, not that.
    t = performance.now();
    await getServeUrl();
    const bundle = secondsSince(t);

    const server = await serveDir(mediaDir);
    writeFileSync(path.join(mediaDir, 'draft.json'), JSON.stringify(referenceDraft(plan, server.url)));
    return {
      tmpDir,
      mediaDir,
      floorDir,
      draftUrl: server.url('draft.json'),
      setupSec: { media, bundle },
      async close() {
        await server.close();
        removeAll();
      },
    };
  } catch (err) {
    removeAll();
    throw err;
  }
};
