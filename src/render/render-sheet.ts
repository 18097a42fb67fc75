import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { renderStill, selectComposition } from '@remotion/renderer';
import { SHEET_ID } from '../composition/id';
import type { Timeline } from '../timeline/types';
import { getServeUrl } from './bundle';
import { serveTimelineMedia, startMediaServer } from './media-server';
import { browserOf, type RenderSettings } from './settings';

export interface SheetOptions {
  outPath: string;
  /** How many frames, spread evenly from the first to the last frame. */
  count?: number;
  columns?: number;
  thumbWidthPx?: number;
}

/** `count` frames at even times over the timeline, first and last included. */
export const evenFrames = (durationFrames: number, count: number): number[] => {
  const last = Math.max(0, durationFrames - 1);
  if (count <= 1 || last === 0) return [0];
  return Array.from({ length: count }, (_, i) => Math.round((i * last) / (count - 1)));
};

/** A PNG grid of frames with timestamps: a draft at a glance (and a picture for bug reports). */
export const renderSheet = async (timeline: Timeline, opts: SheetOptions, settings: Pick<RenderSettings, 'browserExecutable'>): Promise<{ frames: number[] }> => {
  const count = opts.count ?? 12;
  const frames = evenFrames(timeline.durationFrames, count);
  const mediaServer = await startMediaServer();
  try {
    const inputProps = {
      timeline: serveTimelineMedia(timeline, mediaServer),
      frames,
      columns: opts.columns ?? Math.min(4, frames.length),
      thumbWidthPx: opts.thumbWidthPx ?? (timeline.widthPx >= timeline.heightPx ? 384 : 216),
    };
    const serveUrl = await getServeUrl();
    const browserExecutable = browserOf(settings);
    const composition = await selectComposition({ serveUrl, id: SHEET_ID, inputProps, browserExecutable, logLevel: 'error' });
    mkdirSync(path.dirname(path.resolve(opts.outPath)), { recursive: true });
    await renderStill({
      serveUrl,
      composition,
      inputProps,
      output: opts.outPath,
      frame: 0,
      imageFormat: 'png',
      browserExecutable,
      overwrite: true,
      logLevel: 'error',
    });
    return { frames };
  } finally {
    await mediaServer.close();
  }
};
