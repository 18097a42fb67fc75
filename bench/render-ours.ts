/**
 * Our side, end to end as the server runs a job: the draft and media come over HTTP from
 * 127.0.0.1, a fresh material cache makes the download count, renderDraft renders, and the MP4
 * is stored in a videos folder.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserSession } from '../src/render/browser';
import { renderDraft } from '../src/render/render-draft';
import type { RenderEngine } from '../src/render/engine';
import { renderSettings, type EncodeSettings } from '../src/render/settings';
import type { RenderResult, Stage } from '../src/render/types';
import { bytesToMb, startTreeSampler, type TreeSample } from './process-tree';

export interface OursResult {
  wallSec: number;
  frames: number;
  videoSec: number;
  stagesSec: Partial<Record<Stage, number>>;
  /** Node's CPU plus its children's, sampled (see process-tree.ts). */
  cpuSec: number;
  treePeakRssMb: number;
  nodePeakRssMb: number;
  /** After the render, with garbage collected when possible: what the process keeps. */
  nodeRssAfterMb: number;
  heapUsedAfterMb: number;
  storedPath: string;
  sizeBytes: number;
  warnings: RenderResult['warnings'];
  engine: RenderResult['engine'];
  engineReason?: string;
  browserDrawn?: RenderResult['browserDrawn'];
  browserWork?: RenderResult['browserWork'];
}

export interface OursOptions {
  draftUrl: string;
  /** Per render: material cache and temp files; removed afterwards. */
  dataDir: string;
  videosDir: string;
  videoName: string;
  cutSec?: number;
  encode: Partial<EncodeSettings>;
  engine: RenderEngine;
  collectGarbage?: () => void;
  /** A browser kept open across renders (a render process's). */
  browser?: BrowserSession;
}

export const renderOurs = async (o: OursOptions): Promise<OursResult> => {
  await rm(o.dataDir, { recursive: true, force: true });
  await mkdir(o.dataDir, { recursive: true });
  const outPath = path.join(o.dataDir, 'out.mp4');
  const storedPath = path.join(o.videosDir, o.videoName);

  const sampler = startTreeSampler();
  const started = performance.now();
  let result: RenderResult;
  let storeSec: number;
  let tree: TreeSample;
  try {
    result = await renderDraft({
      source: o.draftUrl,
      outPath,
      settings: renderSettings({ dataDir: o.dataDir, allowPrivateNetwork: true, encode: o.encode, engine: o.engine }),
      maxSeconds: o.cutSec,
      browser: o.browser,
    });
    const storeStarted = performance.now();
    // The server's local storage renames (or copies across file systems); copying is the upper bound.
    await mkdir(o.videosDir, { recursive: true });
    await copyFile(outPath, storedPath);
    storeSec = (performance.now() - storeStarted) / 1000;
  } finally {
    tree = sampler.stop();
  }
  const wallSec = (performance.now() - started) / 1000;
  await rm(o.dataDir, { recursive: true, force: true });

  o.collectGarbage?.();
  const after = process.memoryUsage();
  return {
    wallSec,
    frames: result.durationFrames,
    videoSec: result.durationSec,
    stagesSec: { ...result.timingsSec, store: storeSec },
    cpuSec: tree.cpuSec,
    treePeakRssMb: tree.treePeakMb,
    nodePeakRssMb: tree.nodePeakMb,
    nodeRssAfterMb: bytesToMb(after.rss),
    heapUsedAfterMb: bytesToMb(after.heapUsed),
    storedPath,
    sizeBytes: result.sizeBytes,
    warnings: result.warnings,
    engine: result.engine,
    engineReason: result.engineReason,
    browserDrawn: result.browserDrawn,
    browserWork: result.browserWork,
  };
};
