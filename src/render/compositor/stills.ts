/**
 * The pictures the browser draws once for the compositor: each still layer on a transparent
 * canvas (Remotion's LayerStills composition, PNG), then cut down to the part that is not
 * transparent, so ffmpeg moves and blends as few pixels as possible.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { openBrowser, renderFrames, selectComposition, type CancelSignal } from '@remotion/renderer';
import { STILLS_ID } from '../../composition/id';
import type { LayerStillsProps } from '../../composition/LayerStills';
import type { Timeline } from '../../timeline/types';
import { getServeUrl } from '../bundle';
import { serveTimelineMedia, startMediaServer } from '../media-server';
import type { PlannedStill } from './plan';

const execFileAsync = promisify(execFile);

const BOUNDS_BATCH = 16;

export interface StillImage {
  file: string;
  /** Visible part in canvas pixels; width 0 when the still is fully transparent. */
  xPx: number;
  yPx: number;
  widthPx: number;
  heightPx: number;
}

/** Bounding box of the non-transparent pixels of an 8-bit alpha plane. */
export function alphaBounds(alpha: Uint8Array, width: number, height: number): Omit<StillImage, 'file'> {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    for (let x = 0; x < width; x++) {
      if (alpha[row + x] !== 0) {
        first = x;
        break;
      }
    }
    if (first < 0) continue;
    let last = first;
    for (let x = width - 1; x > first; x--) {
      if (alpha[row + x] !== 0) {
        last = x;
        break;
      }
    }
    minY = Math.min(minY, y);
    maxY = y;
    minX = Math.min(minX, first);
    maxX = Math.max(maxX, last);
  }
  if (maxX < 0) return { xPx: 0, yPx: 0, widthPx: 0, heightPx: 0 };
  return { xPx: minX, yPx: minY, widthPx: maxX - minX + 1, heightPx: maxY - minY + 1 };
}

/** Alpha planes of PNG files, in order, read by one ffmpeg run. */
async function alphaPlanes(ffmpeg: string, files: string[], width: number, height: number): Promise<Uint8Array[]> {
  const dir = path.dirname(files[0]);
  const digits = /(\d+)\.png$/.exec(files[0])?.[1].length ?? 1;
  const prefix = path.basename(files[0]).replace(/\d+\.png$/, '');
  const first = Number(/(\d+)\.png$/.exec(files[0])?.[1] ?? 0);
  const { stdout } = await execFileAsync(
    ffmpeg,
    [
      '-hide_banner', '-loglevel', 'error',
      '-f', 'image2', '-start_number', String(first), '-i', path.join(dir, `${prefix}%0${digits}d.png`),
      '-frames:v', String(files.length),
      '-vf', 'format=rgba,alphaextract', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: files.length * width * height + (1 << 20) },
  );
  const size = width * height;
  if (stdout.length < size * files.length) throw new Error(`ffmpeg read ${stdout.length / size} of ${files.length} stills`);
  return files.map((_, i) => new Uint8Array(stdout.buffer, stdout.byteOffset + i * size, size));
}

/** Draws `stills` (layers of `timeline` at a frame, media local) into `dir`; one image per still, in order. */
export async function renderStills(
  timeline: Timeline,
  stills: PlannedStill[],
  o: { dir: string; ffmpeg: string; concurrency: number; browserExecutable: string; cancelSignal?: CancelSignal },
): Promise<StillImage[]> {
  if (stills.length === 0) return [];
  const mediaServer = await startMediaServer();
  const { browserExecutable } = o;
  const browser = await openBrowser('chrome', { browserExecutable, logLevel: 'error' });
  try {
    const props: LayerStillsProps = {
      timeline: serveTimelineMedia({ ...timeline, layers: stills.map((s) => s.layer), backgrounds: undefined, audio: [] }, mediaServer),
      stills: stills.map((s, i) => ({ layerIndex: i, frame: s.frame })),
    };
    const serveUrl = await getServeUrl();
    const composition = await selectComposition({
      serveUrl,
      id: STILLS_ID,
      inputProps: props,
      browserExecutable,
      puppeteerInstance: browser,
      logLevel: 'error',
    });
    await renderFrames({
      serveUrl,
      composition,
      inputProps: props,
      outputDir: o.dir,
      imageFormat: 'png',
      imageSequencePattern: 'still-[frame].[ext]',
      concurrency: o.concurrency,
      puppeteerInstance: browser,
      browserExecutable,
      cancelSignal: o.cancelSignal,
      logLevel: 'error',
      onStart: () => undefined,
      onFrameUpdate: () => undefined,
    });
  } finally {
    await browser.close({ silent: true }).catch(() => undefined);
    await mediaServer.close();
  }
  const files = readdirSync(o.dir)
    .filter((f) => /^still-\d+\.png$/.test(f))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
    .map((f) => path.join(o.dir, f));
  if (files.length !== stills.length) throw new Error(`the browser drew ${files.length} of ${stills.length} stills`);
  // A few at a time: every plane is a canvas of bytes (2 MB at 1080×1920), and a long draft has hundreds.
  const images: StillImage[] = [];
  for (let i = 0; i < files.length; i += BOUNDS_BATCH) {
    const batch = files.slice(i, i + BOUNDS_BATCH);
    const planes = await alphaPlanes(o.ffmpeg, batch, timeline.widthPx, timeline.heightPx);
    batch.forEach((file, j) => images.push({ file, ...alphaBounds(planes[j], timeline.widthPx, timeline.heightPx) }));
  }
  return images;
}
