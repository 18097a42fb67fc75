import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { makeCancelSignal, renderMedia, selectComposition } from '@remotion/renderer';
import { GenVideoError, isGenVideoError } from '../errors';
import type { Timeline } from '../timeline/types';
import { COMPOSITION_ID } from '../composition/id';
import { findBrowserExecutable } from './browser';
import { getServeUrl } from './bundle';
import { planComposite, renderComposite } from './compositor';
import { defaultEngine, type RenderEngine } from './engine';
import { findSystemFfmpeg } from './ffmpeg';
import { serveTimelineMedia, startMediaServer } from './media-server';

export type { RenderEngine } from './engine';

export interface FrameProgress {
  renderedFrames: number;
  encodedFrames: number;
  totalFrames: number;
  /** Remotion's stitcher: 'encoding' while frames go in, 'muxing' while audio is mixed in. */
  stitchStage: 'encoding' | 'muxing';
  /** 0..1 of this render. */
  progress: number;
}

export interface EncodeSettings {
  crf: number;
  x264Preset: 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium';
  /** Browser tabs rendering frames in parallel. */
  concurrency: number;
  jpegQuality: number;
}

export const DEFAULT_ENCODE: EncodeSettings = {
  crf: 20,
  x264Preset: 'veryfast',
  concurrency: 2,
  jpegQuality: 90,
};

export interface EngineUsed {
  engine: Exclude<RenderEngine, 'auto'>;
  /** Why `auto` chose Remotion. */
  reason?: string;
}

export interface RenderTimelineOptions {
  outPath: string;
  onProgress?: (p: FrameProgress) => void;
  signal?: AbortSignal;
  encode?: Partial<EncodeSettings>;
  engine?: RenderEngine;
  /** The compositor's work files (stills, graphs, chunks); removed after each render. Default: the OS temp dir. */
  tempDir?: string;
}

/** Where in the pipeline a Remotion failure happened, for the API's error table. */
const classifyFailure = (err: unknown, stage: FrameProgress['stitchStage'], framesDone: boolean): GenVideoError => {
  const message = err instanceof Error ? err.message : String(err);
  const short = publicReason(message);
  if (stage === 'muxing' || /audio|aac|atempo|amix/i.test(message)) {
    return new GenVideoError('AUDIO_FAILED', short, { cause: err });
  }
  if (framesDone || /ffmpeg|x264|encod|stitch/i.test(message)) {
    return new GenVideoError('ENCODE_FAILED', short, { cause: err });
  }
  return new GenVideoError('RENDER_FAILED', short, { cause: err });
};

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

const tempPathFor = (outPath: string): string => {
  const outDir = path.dirname(path.resolve(outPath));
  mkdirSync(outDir, { recursive: true });
  return path.join(outDir, `.${path.basename(outPath)}.${randomBytes(4).toString('hex')}.part.mp4`);
};

/**
 * Renders a timeline whose media are local files to an H.264/AAC MP4 with the engine asked for
 * (see RenderEngine). The file appears at `outPath` only when complete: a temp file beside it is
 * renamed at the end.
 */
export const renderTimeline = async (timeline: Timeline, opts: RenderTimelineOptions): Promise<EngineUsed> => {
  const engine = opts.engine ?? defaultEngine();
  if (engine === 'remotion') {
    await renderWithRemotion(timeline, opts);
    return { engine: 'remotion' };
  }
  const plan = planComposite(timeline);
  const ffmpeg = findSystemFfmpeg();
  const reason = 'unsupported' in plan ? plan.unsupported : ffmpeg ? undefined : 'no system ffmpeg (apt-get install ffmpeg)';
  if ('unsupported' in plan || !ffmpeg) {
    if (engine === 'compositor') throw new GenVideoError('RENDER_FAILED', `the compositor cannot draw this draft: ${reason}`);
    await renderWithRemotion(timeline, opts);
    return { engine: 'remotion', reason };
  }
  const tmpPath = tempPathFor(opts.outPath);
  let framesDone = false;
  try {
    await renderComposite(timeline, plan, {
      outPath: tmpPath,
      ffmpeg,
      encode: { ...DEFAULT_ENCODE, ...opts.encode },
      signal: opts.signal,
      tempDir: opts.tempDir,
      onProgress: (p) => {
        framesDone = p.renderedFrames >= p.totalFrames;
        opts.onProgress?.(p);
      },
    });
    opts.signal?.throwIfAborted();
    renameSync(tmpPath, opts.outPath);
    return { engine: 'compositor' };
  } catch (err) {
    rmSync(tmpPath, { force: true });
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    if (isGenVideoError(err)) throw err;
    const short = publicReason(String((err as Error).message));
    // `auto` promised a video: a compositor failure (an ffmpeg it cannot run, a file ffmpeg reads
    // differently from the browser) costs time, not the video.
    if (engine === 'auto') {
      await renderWithRemotion(timeline, opts);
      return { engine: 'remotion', reason: `the compositor failed (${short})` };
    }
    const inStills = (err as { compositeStage?: string }).compositeStage === 'stills';
    throw inStills ? new GenVideoError('RENDER_FAILED', short, { cause: err }) : classifyFailure(err, 'encoding', framesDone);
  }
};

/** Every frame drawn by the browser and encoded by Remotion. */
const renderWithRemotion = async (timeline: Timeline, opts: RenderTimelineOptions): Promise<void> => {
  const encode = { ...DEFAULT_ENCODE, ...opts.encode };
  const tmpPath = tempPathFor(opts.outPath);

  const mediaServer = await startMediaServer();
  const { cancelSignal, cancel } = makeCancelSignal();
  const onAbort = () => cancel();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  let stage: FrameProgress['stitchStage'] = 'encoding';
  let framesDone = false;
  try {
    opts.signal?.throwIfAborted();
    const inputProps = { timeline: serveTimelineMedia(timeline, mediaServer) };
    const serveUrl = await getServeUrl();
    const browserExecutable = findBrowserExecutable();
    const licenseKey = process.env.REMOTION_LICENSE_KEY || null;
    const composition = await selectComposition({
      serveUrl,
      id: COMPOSITION_ID,
      inputProps,
      browserExecutable,
      logLevel: 'error',
    });
    await renderMedia({
      serveUrl,
      composition,
      inputProps,
      codec: 'h264',
      audioCodec: 'aac',
      pixelFormat: 'yuv420p',
      colorSpace: 'bt709',
      crf: encode.crf,
      x264Preset: encode.x264Preset,
      imageFormat: 'jpeg',
      jpegQuality: encode.jpegQuality,
      concurrency: encode.concurrency,
      // Players and tests expect an audio stream even when the draft is silent.
      enforceAudioTrack: true,
      outputLocation: tmpPath,
      overwrite: true,
      browserExecutable,
      cancelSignal,
      logLevel: 'error',
      licenseKey,
      onProgress: (p) => {
        stage = p.stitchStage;
        framesDone = p.renderedFrames >= composition.durationInFrames;
        opts.onProgress?.({
          renderedFrames: p.renderedFrames,
          encodedFrames: p.encodedFrames,
          totalFrames: composition.durationInFrames,
          stitchStage: p.stitchStage,
          progress: p.progress,
        });
      },
    });
    opts.signal?.throwIfAborted();
    renameSync(tmpPath, opts.outPath);
  } catch (err) {
    rmSync(tmpPath, { force: true });
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    if (isGenVideoError(err)) throw err;
    throw classifyFailure(err, stage, framesDone);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await mediaServer.close();
  }
};
