/**
 * One benchmark run: make the media and the reference draft, serve them on 127.0.0.1, render
 * through renderDraft (N times when asked), then time the ffmpeg floor on the same media.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { getServeUrl } from '../src/render/bundle';
import { DEFAULT_ENCODE, type EncodeSettings } from '../src/render/render-timeline';
import { serveDir } from '../test/helpers/http-server';
import type { BenchOptions } from './args';
import { runFloor, type FloorResult } from './floor';
import { describeMachine, type Machine } from './machine';
import { makeBenchMedia, SYSTEM_FFMPEG } from './media';
import { referencePlan, type BenchPlan } from './plan';
import { referenceDraft } from './reference-draft';
import { renderOurs, type OursResult } from './render-ours';

export interface BenchResult {
  plan: BenchPlan;
  cutSec?: number;
  encode: EncodeSettings;
  machine: Machine;
  setupSec: { media: number; bundle: number };
  renders: OursResult[];
  floor?: FloorResult;
  startedAt: string;
}

/**
 * RSS after a render says whether memory grows from one render to the next only once garbage is
 * collected; `--expose-gc` cannot be passed through `npm run`/tsx, so the flag is set at run time.
 */
const garbageCollector = (): (() => void) | undefined => {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
};

const secondsSince = (t: number) => (performance.now() - t) / 1000;

export const runBench = async (opts: BenchOptions, log: (line: string) => void = () => {}): Promise<BenchResult> => {
  const startedAt = new Date().toISOString();
  const machine = describeMachine(SYSTEM_FFMPEG);
  const plan = referencePlan({ widthPx: opts.widthPx, heightPx: opts.heightPx });
  const encode: EncodeSettings = { ...DEFAULT_ENCODE, ...opts.encode };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gen-video-bench-'));
  const mediaDir = path.join(tmp, 'media');
  const floorDir = path.join(tmp, 'floor');
  const videosDir = opts.keepDir ?? path.join(tmp, 'videos');
  const collectGarbage = garbageCollector();
  // Ctrl-C would leave a few hundred MB of media behind.
  const onInterrupt = () => {
    rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);

  try {
    let t = performance.now();
    log(`making media with ${SYSTEM_FFMPEG} in ${tmp}`);
    await makeBenchMedia(plan, mediaDir, floorDir);
    const media = secondsSince(t);

    // A server bundles once at its first job; the bench measures jobs, not that.
    t = performance.now();
    await getServeUrl();
    const bundle = secondsSince(t);

    const server = await serveDir(mediaDir);
    const renders: OursResult[] = [];
    try {
      writeFileSync(path.join(mediaDir, 'draft.json'), JSON.stringify(referenceDraft(plan, server.url)));
      for (let i = 0; i < opts.repeat; i++) {
        log(`rendering${opts.repeat > 1 ? ` (${i + 1}/${opts.repeat})` : ''}…`);
        renders.push(
          await renderOurs({
            draftUrl: server.url('draft.json'),
            dataDir: path.join(tmp, 'data'),
            videosDir,
            videoName: opts.repeat > 1 ? `ours-${i + 1}.mp4` : 'ours.mp4',
            cutSec: opts.cutSec,
            encode: opts.encode,
            collectGarbage,
          }),
        );
      }
    } finally {
      await server.close();
    }

    let floor: FloorResult | undefined;
    if (opts.floor) {
      log('running the ffmpeg floor…');
      mkdirSync(videosDir, { recursive: true });
      floor = await runFloor(plan, {
        mediaDir,
        floorDir,
        cutSec: opts.cutSec ?? plan.durationSec,
        encode,
        outPath: path.join(videosDir, 'floor.mp4'),
      });
    }

    return { plan, cutSec: opts.cutSec, encode, machine, setupSec: { media, bundle }, renders, floor, startedAt };
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    rmSync(tmp, { recursive: true, force: true });
  }
};
