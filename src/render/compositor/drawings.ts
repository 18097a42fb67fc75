/**
 * The browser's part of a compositor render: the atlas frames holding the drawings' tiles
 * (atlas.ts), drawn by the LayerTiles composition with the video's own components on a
 * transparent canvas (PNG), in the render process's kept browser. A chunk asks for the frames its
 * pictures show; frames already drawn (by an earlier chunk on this machine) are reused.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeCancelSignal, renderFrames } from '@remotion/renderer';
import { TILES_ID } from '../../composition/id';
import type { LayerTilesProps, Tile } from '../../composition/LayerTiles';
import type { Background, Timeline, VisualLayer } from '../../timeline/types';
import type { BrowserSession } from '../browser';
import { getServeUrl } from '../bundle';
import { compositionMeta } from '../composition-meta';
import { serveTimelineMedia, startMediaServer } from '../media-server';
import type { CompositorPlan, Rect } from './plan';

const execFileAsync = promisify(execFile);

/** Atlas frames whose alpha is read by one ffmpeg run (each plane is a canvas of bytes). */
const ALPHA_BATCH = 8;

/** Bounding box of the non-transparent pixels of a region of an 8-bit alpha plane; null when all clear. */
export function alphaBounds(alpha: Uint8Array, stride: number, region: Rect): Rect | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -1;
  let maxY = -1;
  for (let y = region.y; y < region.y + region.height; y++) {
    const row = y * stride;
    let first = -1;
    for (let x = region.x; x < region.x + region.width; x++) {
      if (alpha[row + x] !== 0) {
        first = x;
        break;
      }
    }
    if (first < 0) continue;
    let last = first;
    for (let x = region.x + region.width - 1; x > first; x--) {
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
  if (maxX < 0) return null;
  return { x: minX - region.x, y: minY - region.y, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/**
 * An ffconcat list of images, one a second: without durations the images of a list all start at
 * 0 and ffmpeg drops all but a few.
 */
export const imageList = (files: readonly string[]): string =>
  `ffconcat version 1.0\n${files.map((f) => `file '${f.replace(/'/g, "'\\''")}'\nduration 1\n`).join('')}`;

/** Alpha planes of PNG files, in order, read by one ffmpeg run. */
async function alphaPlanes(ffmpeg: string, files: string[], width: number, height: number, listPath: string): Promise<Uint8Array[]> {
  writeFileSync(listPath, imageList(files));
  const { stdout } = await execFileAsync(
    ffmpeg,
    [
      '-hide_banner', '-loglevel', 'error', '-f', 'concat', '-safe', '0', '-i', listPath,
      '-vf', 'format=rgba,alphaextract', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: files.length * width * height + (1 << 20) },
  );
  const size = width * height;
  if (stdout.length < size * files.length) throw new Error(`ffmpeg read ${stdout.length / size} of ${files.length} tile frames`);
  return files.map((_, i) => new Uint8Array(stdout.buffer, stdout.byteOffset + i * size, size));
}

/** `r` grown to start on even offsets, within `tile`. */
const evenAligned = (r: Rect, tile: Rect): Rect => {
  const x = r.x - (r.x % 2);
  const y = r.y - (r.y % 2);
  return { x, y, width: Math.min(tile.width - x, r.x + r.width - x), height: Math.min(tile.height - y, r.y + r.height - y) };
};

export interface DrawingContext {
  ffmpeg: string;
  browser: BrowserSession;
  browserExecutable: () => string;
  /** This render's work folder; the atlas frames go in a folder of it. */
  workDir: string;
  /** Pages the browser draws with at once. */
  concurrency: number;
  signal?: AbortSignal;
}

/** What the drawn frames give the graph. */
export interface DrawnTiles {
  /** The PNG of an atlas frame. */
  file(frame: number): string;
  /** A trimmed drawing's visible part, in its tile; null when nothing of it shows. */
  visible(drawing: number): Rect | null;
}

/** The frames `plan` (the whole plan or a chunk's slice) needs, by the states its pictures show. */
export function framesNeeded(plan: CompositorPlan): number[] {
  const frames = new Set<number>();
  for (const p of plan.pictures) {
    const s = p.source;
    if (s.kind === 'drawn') for (const r of s.runs) frames.add(plan.atlas.drawings[s.drawing].at[r.state].frame);
    if (s.kind === 'video' && s.mask !== undefined) frames.add(plan.atlas.drawings[s.mask].at[0].frame);
  }
  return [...frames].sort((a, b) => a - b);
}

/**
 * The atlas frames of one render, drawn on first use; calls run one after another (a chunk's
 * frames can be asked for while ffmpeg draws the chunk before it).
 */
export class DrawingCache implements DrawnTiles {
  readonly #files = new Map<number, string>();
  readonly #visible = new Map<number, Rect | null>();
  readonly #dir: string;
  #queue: Promise<unknown> = Promise.resolve();
  #batch = 0;
  /** Frames and tiles drawn and seconds spent, for the report. */
  framesDrawn = 0;
  tilesDrawn = 0;
  seconds = 0;

  constructor(
    private readonly timeline: Timeline,
    private readonly plan: CompositorPlan,
    private readonly ctx: DrawingContext,
  ) {
    this.#dir = path.join(ctx.workDir, 'tiles');
  }

  file(frame: number): string {
    const f = this.#files.get(frame);
    if (!f) throw new Error(`atlas frame ${frame} was not drawn`);
    return f;
  }

  visible(drawing: number): Rect | null {
    if (!this.#visible.has(drawing)) throw new Error(`drawing ${drawing} was not measured`);
    return this.#visible.get(drawing)!;
  }

  /** Draws the frames `slice` needs that are not drawn yet. */
  for(slice: CompositorPlan): Promise<DrawnTiles> {
    const run = this.#queue.then(() => this.#draw(framesNeeded(slice).filter((f) => !this.#files.has(f))));
    this.#queue = run.catch(() => undefined);
    return run.then(() => this);
  }

  async #draw(frames: number[]): Promise<void> {
    if (frames.length === 0) return;
    this.ctx.signal?.throwIfAborted();
    const started = performance.now();
    const { timeline, plan } = this;
    const dir = path.join(this.#dir, `batch-${this.#batch++}`);
    mkdirSync(dir, { recursive: true });
    // The items these frames draw, each once, as the props' layers and backgrounds.
    const layers: VisualLayer[] = [];
    const backgrounds: Background[] = [];
    const itemOf = new Map<number, Pick<Tile, 'layer' | 'background'>>();
    const tileFrames: Tile[][] = frames.map((f) =>
      plan.atlas.frames[f].map((t) => {
        const d = plan.drawings[t.drawing];
        let item = itemOf.get(t.drawing);
        if (!item) {
          item = d.background ? { background: backgrounds.push(d.background) - 1 } : { layer: layers.push(d.layer!) - 1 };
          itemOf.set(t.drawing, item);
        }
        return { ...item, frame: d.states[t.state], content: d.mode === 'mask' ? 'mask' : 'layer', window: d.window, x: t.x, y: t.y };
      }),
    );
    const mediaServer = await startMediaServer();
    const { cancelSignal, cancel } = makeCancelSignal();
    const onAbort = () => cancel();
    this.ctx.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const inputProps: LayerTilesProps = {
        timeline: serveTimelineMedia({ ...timeline, layers, backgrounds, audio: [] }, mediaServer),
        frames: tileFrames,
      };
      const serveUrl = await getServeUrl();
      const { widthPx: width, heightPx: height, fps } = timeline;
      await this.ctx.browser.use(this.ctx.browserExecutable(), (browser) =>
        renderFrames({
          serveUrl,
          composition: compositionMeta({
            id: TILES_ID,
            width,
            height,
            fps,
            durationInFrames: Math.max(1, frames.length, timeline.durationFrames),
            props: inputProps,
          }),
          inputProps,
          frameRange: [0, frames.length - 1],
          outputDir: dir,
          imageFormat: 'png',
          imageSequencePattern: 'tile-[frame].[ext]',
          // A page costs more to open than a frame to draw.
          concurrency: Math.max(1, Math.min(this.ctx.concurrency, Math.floor(frames.length / 4))),
          puppeteerInstance: browser,
          cancelSignal,
          logLevel: 'error',
          muted: true,
          onStart: () => undefined,
          onFrameUpdate: () => undefined,
        }),
      );
    } finally {
      this.ctx.signal?.removeEventListener('abort', onAbort);
      await mediaServer.close();
    }
    this.ctx.signal?.throwIfAborted();
    const drawn = readdirSync(dir)
      .filter((f) => /^tile-\d+\.png$/.test(f))
      .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
    if (drawn.length !== frames.length) throw new Error(`the browser drew ${drawn.length} of ${frames.length} tile frames`);
    frames.forEach((f, i) => {
      const file = path.join(this.#dir, `atlas-${String(f).padStart(5, '0')}.png`);
      renameSync(path.join(dir, drawn[i]), file);
      this.#files.set(f, file);
    });
    await this.#measure(frames);
    this.framesDrawn += frames.length;
    this.tilesDrawn += tileFrames.reduce((n, f) => n + f.length, 0);
    this.seconds += (performance.now() - started) / 1000;
  }

  /** Visible parts of single tiles, and text kept inside its window, read from the frames' alpha. */
  async #measure(frames: number[]): Promise<void> {
    const { plan } = this;
    const wanted = frames.filter((f) => plan.atlas.frames[f].some((t) => plan.drawings[t.drawing].trim || plan.drawings[t.drawing].checkEdges));
    for (let i = 0; i < wanted.length; i += ALPHA_BATCH) {
      const batch = wanted.slice(i, i + ALPHA_BATCH);
      const list = path.join(this.#dir, `alpha-${batch[0]}.txt`);
      const planes = await alphaPlanes(this.ctx.ffmpeg, batch.map((f) => this.file(f)), this.timeline.widthPx, this.timeline.heightPx, list);
      batch.forEach((f, k) => {
        for (const t of plan.atlas.frames[f]) {
          const d = plan.drawings[t.drawing];
          if (!d.trim && !d.checkEdges) continue;
          const tile = { x: t.x, y: t.y, width: d.window.width, height: d.window.height };
          const bounds = alphaBounds(planes[k], this.timeline.widthPx, tile);
          // Cut at even offsets in the (even) window: overlay places 4:2:0 pictures on even pixels.
          if (d.trim) this.#visible.set(t.drawing, bounds && evenAligned(bounds, tile));
          if (d.checkEdges && bounds && (bounds.x === 0 || bounds.y === 0 || bounds.x + bounds.width === tile.width || bounds.y + bounds.height === tile.height)) {
            throw new Error(`${d.kind} ${d.layerId} reaches past the window it was drawn in (${tile.width}×${tile.height})`);
          }
        }
      });
    }
  }
}
