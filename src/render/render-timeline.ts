/**
 * One machine renders a whole timeline: the stages of planRender run in a row (frame ranges one
 * after another while the sound is mixed alongside, then the join). A farm runs the same stages
 * on several machines (renderRange, mixSoundOf, assemble).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { GenVideoError, isGenVideoError } from '../errors';
import type { Timeline } from '../timeline/types';
import { assemble } from './assemble';
import { BrowserSession, withBrowserSession } from './browser';
import {
  browserDrawn,
  drawingCache,
  drawPieces,
  drawRange,
  makeWorkDir,
  mixSound,
  piecesOf,
  type BrowserDrawn,
  type CompositorContext,
  type DrawingCache,
} from './compositor';
import type { FrameRange, RenderEngine } from './engine';
import { planRender, remotionInstead, type RenderPlan } from './plan-render';
import type { BrowserWork } from './types';
import { drawWithRemotion } from './remotion-frames';
import { browserOf, type RenderSettings } from './settings';

export type { RenderEngine } from './engine';

export interface FrameProgress {
  renderedFrames: number;
  encodedFrames: number;
  totalFrames: number;
  /** 'encoding' while frames are drawn, 'muxing' while the sound goes in. */
  stitchStage: 'encoding' | 'muxing';
  /** 0..1 of this render. */
  progress: number;
}

export interface EngineUsed {
  engine: Exclude<RenderEngine, 'auto'>;
  /** Why `auto` chose Remotion. */
  reason?: string;
  /** The compositor: the layers the browser drew, and why. */
  browserDrawn?: BrowserDrawn[];
  browserWork?: BrowserWork;
}

export interface RenderTimelineOptions {
  outPath: string;
  settings: RenderSettings;
  /** The render process's kept browser; without one a browser is opened for this render alone. */
  browser?: BrowserSession;
  onProgress?: (p: FrameProgress) => void;
  signal?: AbortSignal;
}

/**
 * The first line of a failure, fit for a client: our own media server's address (a port on this
 * machine) and local paths become the file's name.
 */
export const publicReason = (message: string): string =>
  message
    .split('\n')[0]
    .replace(/https?:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/m\/\d+\//g, '')
    .replace(/(?:\/[\w.@+-]+){2,}\/([\w.@+-]+)/g, '$1')
    .slice(0, 300);

/** Where in the pipeline a failure happened, for the API's error table. */
export const classifyFailure = (err: unknown, stage: FrameProgress['stitchStage'], framesDone: boolean): GenVideoError => {
  if (isGenVideoError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const short = publicReason(message);
  if ((err as { compositeStage?: string }).compositeStage === 'browser') return new GenVideoError('RENDER_FAILED', short, { cause: err });
  if (stage === 'muxing' || /audio|aac|atempo|amix/i.test(message)) {
    return new GenVideoError('AUDIO_FAILED', short, { cause: err });
  }
  if (framesDone || /ffmpeg|x264|encod|stitch/i.test(message)) {
    return new GenVideoError('ENCODE_FAILED', short, { cause: err });
  }
  return new GenVideoError('RENDER_FAILED', short, { cause: err });
};

/** A temp file beside `outPath`, renamed into place only when complete. */
export const tempPathFor = (outPath: string): string => {
  const outDir = path.dirname(path.resolve(outPath));
  mkdirSync(outDir, { recursive: true });
  return path.join(outDir, `.${path.basename(outPath)}.${randomBytes(4).toString('hex')}.part.mp4`);
};

const compositorContext = (settings: RenderSettings, browser: BrowserSession, workDir: string, signal?: AbortSignal): CompositorContext => ({
  ffmpeg: settings.ffmpegPath!,
  browser,
  browserExecutable: () => browserOf(settings),
  encode: settings.encode,
  workDir,
  keepWorkFiles: settings.keepWorkFiles,
  signal,
});

interface RangeOptions {
  settings: RenderSettings;
  browser: BrowserSession;
  workDir: string;
  signal?: AbortSignal;
  /** The compositor's tiles, shared by the ranges of one machine. */
  drawings?: DrawingCache;
  withSound?: boolean;
  onFrames?: (frames: number) => void;
}

/**
 * Frames `range` of a planned render as H.264 (no sound unless the plan has Remotion mix it) at
 * `outPath`. `drawings` lets the ranges of one machine share the compositor's tiles.
 */
export async function renderRange(timeline: Timeline, plan: RenderPlan, range: FrameRange, outPath: string, o: RangeOptions): Promise<void> {
  if (plan.engine === 'compositor') {
    const ctx = compositorContext(o.settings, o.browser, o.workDir, o.signal);
    const pieces = piecesOf(range, plan.fps);
    if (pieces.length === 1) {
      await drawRange(timeline, plan.compositor!, range, outPath, { ...ctx, drawings: o.drawings, withSound: o.withSound, onFrames: o.onFrames });
      return;
    }
    // Pieces joined into the range: the same H.264 whether the range is drawn here in a row or alone.
    const parts = pieces.map(([a, b]) => path.join(o.workDir, `piece-${a}-${b}.mp4`));
    const drawings = o.drawings ?? drawingCache(timeline, plan.compositor!, ctx);
    await drawPieces(timeline, plan.compositor!, pieces, parts, { ...ctx, drawings, onFrames: (f) => o.onFrames?.(f - range[0]) });
    await assemble(parts, null, outPath, { ffmpeg: o.settings.ffmpegPath!, workDir: o.workDir, signal: o.signal });
  } else {
    await drawWithRemotion(timeline, range, outPath, {
      settings: o.settings,
      browser: o.browser,
      withSound: o.withSound ?? plan.soundBy === 'remotion',
      signal: o.signal,
      onProgress: (p) => o.onFrames?.(p.renderedFrames),
    });
  }
}

/** The whole sound of a planned render (soundBy `ffmpeg`), mixed once, as AAC at `outPath`. */
export async function mixSoundOf(plan: RenderPlan, outPath: string, o: { settings: RenderSettings; workDir: string; signal?: AbortSignal }): Promise<void> {
  await mixSound(plan.sound!, outPath, { ffmpeg: o.settings.ffmpegPath!, encode: o.settings.encode, workDir: o.workDir, keepWorkFiles: o.settings.keepWorkFiles, signal: o.signal });
}

/**
 * All stages on this machine, in a row; the compositor's tiles for a chunk are drawn by the
 * browser while ffmpeg draws the chunk before it.
 */
async function runPlan(timeline: Timeline, plan: RenderPlan, o: RenderTimelineOptions & { browser: BrowserSession }): Promise<BrowserWork | undefined> {
  const { browser } = o;
  const { settings } = o;
  const total = plan.durationFrames;
  let stage: FrameProgress['stitchStage'] = 'encoding';
  let framesDone = false;
  const report = (frames: number, stitchStage: FrameProgress['stitchStage']) => {
    stage = stitchStage;
    framesDone = frames >= total;
    o.onProgress?.({ renderedFrames: frames, encodedFrames: frames, totalFrames: total, stitchStage, progress: frames / Math.max(1, total) });
  };
  const workDir = makeWorkDir(settings.workDir);
  const tmpPath = tempPathFor(o.outPath);
  // Stops the sound mix when a range fails, and everything when the caller aborts.
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  const drawings = plan.compositor ? drawingCache(timeline, plan.compositor, compositorContext(settings, browser, workDir, signal)) : undefined;
  try {
    report(0, 'encoding');
    // The compositor draws the chunks' pieces in a row, each at most PIECE_SECONDS (within its chunk).
    const pieces = plan.engine === 'compositor' ? plan.chunks.flatMap((c) => piecesOf(c, plan.fps)) : plan.chunks;
    const oneRun = pieces.length === 1 && (plan.engine === 'compositor' || plan.soundBy === 'remotion');
    if (oneRun) {
      // One piece drawn with its sound: nothing to join.
      await renderRange(timeline, plan, plan.chunks[0], tmpPath, { settings, browser, workDir, signal, drawings, withSound: true, onFrames: (n) => report(Math.min(n, total), 'encoding') });
    } else {
      const sound = path.join(workDir, 'sound.m4a');
      const mixing = mixSoundOf(plan, sound, { settings, workDir, signal });
      mixing.catch(() => undefined); // awaited below; a range failing first must not leave it unhandled
      const parts = pieces.map((_, i) => path.join(workDir, `part-${i}.mp4`));
      if (plan.engine === 'compositor') {
        const ctx = compositorContext(settings, browser, workDir, signal);
        try {
          await drawPieces(timeline, plan.compositor!, pieces, parts, { ...ctx, drawings: drawings!, onFrames: (f) => report(Math.min(f, total), 'encoding') });
        } catch (err) {
          stop.abort(err);
          throw err;
        }
      } else {
        for (const [i, range] of pieces.entries()) {
          await renderRange(timeline, plan, range, parts[i], { settings, browser, workDir, signal, onFrames: (n) => report(Math.min(range[0] + n, total), 'encoding') });
        }
      }
      report(total, 'muxing');
      await mixing;
      await assemble(parts, sound, tmpPath, { ffmpeg: settings.ffmpegPath!, workDir, signal });
    }
    report(total, 'muxing');
    signal.throwIfAborted();
    renameSync(tmpPath, o.outPath);
    return drawings && { frames: drawings.framesDrawn, tiles: drawings.tilesDrawn, seconds: drawings.seconds };
  } catch (err) {
    stop.abort(err);
    if (o.signal?.aborted) throw o.signal.reason ?? err;
    throw classifyFailure(err, stage, framesDone);
  } finally {
    rmSync(tmpPath, { force: true });
    if (!settings.keepWorkFiles) rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Renders a timeline whose media are local files to an H.264/AAC MP4 with the engine the settings
 * ask for (see RenderEngine). The file appears at `outPath` only when complete.
 */
export async function renderTimeline(timeline: Timeline, o: RenderTimelineOptions): Promise<EngineUsed> {
  const plan = planRender(timeline, o.settings);
  return withBrowserSession(o.browser, async (browser) => {
    try {
      const work = await runPlan(timeline, plan, { ...o, browser });
      return {
        engine: plan.engine,
        ...(plan.reason ? { reason: plan.reason } : {}),
        ...(plan.compositor ? { browserDrawn: browserDrawn(plan.compositor) } : {}),
        ...(work ? { browserWork: work } : {}),
      };
    } catch (err) {
      if (o.signal?.aborted || plan.engine !== 'compositor' || o.settings.engine !== 'auto') throw err;
      // `auto` promised a video: a compositor failure (an ffmpeg it cannot run, a file ffmpeg reads
      // differently from the browser) costs time, not the video.
      const reason = `the compositor failed (${isGenVideoError(err) ? (err.reason ?? err.detail) : publicReason(String(err))})`;
      await runPlan(timeline, remotionInstead(timeline, o.settings, reason), { ...o, browser });
      return { engine: 'remotion', reason };
    }
  });
}
