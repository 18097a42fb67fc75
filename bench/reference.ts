/**
 * A benchmark video ready to render: media made in a temp dir, the draft beside them, both
 * served from 127.0.0.1, the composition bundled. Shared by the bench and the settings sweep.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getServeUrl } from '../src/render/bundle';
import { serveDir } from '../test/helpers/http-server';
import type { BenchDraft } from './drafts';
import { SYSTEM_FFMPEG } from './media';

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

export const prepareReference = async (bench: BenchDraft, log: (line: string) => void): Promise<Reference> => {
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
    await bench.makeMedia(mediaDir, floorDir);
    const media = secondsSince(t);

    // A server bundles once, at its first job; the bench measures jobs, not that.
    t = performance.now();
    await getServeUrl();
    const bundle = secondsSince(t);

    const server = await serveDir(mediaDir);
    writeFileSync(path.join(mediaDir, 'draft.json'), JSON.stringify(bench.draft(server.url)));
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
