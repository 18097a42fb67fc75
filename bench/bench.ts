/**
 * One benchmark run: a benchmark video (`--draft`) rendered through renderDraft (N times when
 * asked), then the ffmpeg floor timed on the same media.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DEFAULT_ENCODE, type EncodeSettings } from '../src/render/settings';
import type { BenchOptions } from './args';
import { BrowserSession } from '../src/render/browser';
import { browserOf, renderSettings } from '../src/render/settings';
import { benchDraft, type BenchDraft } from './drafts';
import { runFloorArgs, type FloorResult } from './floor';
import { describeMachine, type Machine } from './machine';
import { SYSTEM_FFMPEG } from './media';
import { prepareReference } from './reference';
import { renderOurs, type OursResult } from './render-ours';

export interface BenchResult {
  plan: BenchDraft;
  /** The browser was open before the clock started (as a render process keeps it between jobs). */
  warmBrowser: boolean;
  cutSec?: number;
  encode: EncodeSettings;
  machine: Machine;
  setupSec: { media: number; bundle: number };
  renders: OursResult[];
  floor?: FloorResult;
  startedAt: string;
  loadAvg1mAtEnd: number;
}

/**
 * RSS after a render says whether memory grows from one render to the next only once garbage is
 * collected; `--expose-gc` cannot be passed through `npm run`/tsx, so the flag is set at run time.
 */
export const garbageCollector = (): (() => void) | undefined => {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
};

export const runBench = async (opts: BenchOptions, log: (line: string) => void = () => {}): Promise<BenchResult> => {
  const startedAt = new Date().toISOString();
  const machine = describeMachine(SYSTEM_FFMPEG);
  const plan = benchDraft(opts.draft, { widthPx: opts.widthPx, heightPx: opts.heightPx });
  const encode: EncodeSettings = { ...DEFAULT_ENCODE, ...opts.encode };
  const collectGarbage = garbageCollector();

  const ref = await prepareReference(plan, log);
  // A server's render process opens its browser at its first job and keeps it: a job finds it
  // open. `--cold` measures a first job instead.
  const browser = new BrowserSession();
  try {
    if (opts.warmBrowser) await browser.get(browserOf(renderSettings({ dataDir: ref.tmpDir })));
    const videosDir = opts.keepDir ?? path.join(ref.tmpDir, 'videos');
    // Bundling (when the composition changed) leaves garbage that is not the render's.
    collectGarbage?.();
    const renders: OursResult[] = [];
    for (let i = 0; i < opts.repeat; i++) {
      log(`rendering${opts.repeat > 1 ? ` (${i + 1}/${opts.repeat})` : ''}…`);
      renders.push(
        await renderOurs({
          draftUrl: ref.draftUrl,
          dataDir: path.join(ref.tmpDir, 'data'),
          videosDir,
          videoName: opts.repeat > 1 ? `ours-${i + 1}.mp4` : 'ours.mp4',
          cutSec: opts.cutSec,
          encode: opts.encode,
          engine: opts.engine,
          collectGarbage,
          browser: opts.warmBrowser ? browser : undefined,
        }),
      );
    }

    let floor: FloorResult | undefined;
    if (opts.floor) {
      log('running the ffmpeg floor…');
      mkdirSync(videosDir, { recursive: true });
      const cutSec = opts.cutSec ?? plan.durationSec;
      const args = plan.floorArgs({ mediaDir: ref.mediaDir, floorDir: ref.floorDir, cutSec, encode, outPath: path.join(videosDir, 'floor.mp4') });
      floor = await runFloorArgs(args, plan.frames(cutSec));
    }

    const loadAvg1mAtEnd = Math.round(os.loadavg()[0] * 100) / 100;
    return { plan, warmBrowser: opts.warmBrowser, cutSec: opts.cutSec, encode, machine, setupSec: ref.setupSec, renders, floor, startedAt, loadAvg1mAtEnd };
  } finally {
    await browser.close();
    await ref.close();
  }
};
