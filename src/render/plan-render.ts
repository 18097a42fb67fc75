/**
 * How a timeline will be rendered, decided before any frame is drawn: which engine draws the
 * frames (and why not the compositor), the frame ranges drawn separately (chunks, on one machine
 * in a row or on several at once) and who mixes the sound.
 */
import { GenVideoError } from '../errors';
import type { Timeline } from '../timeline/types';
import { chunkRanges, planComposite, planSound, type CompositorPlan } from './compositor';
import type { FrameRange } from './engine';
import type { RenderSettings } from './settings';

export interface RenderPlan {
  engine: 'compositor' | 'remotion';
  /** Why `auto` did not take the compositor. */
  reason?: string;
  /**
   * `ffmpeg`: one mix of the whole sound, whichever engine draws (so chunks drawn anywhere join
   * into the same video); `remotion`: no ffmpeg here, Remotion draws frames and sound in one piece.
   */
  soundBy: 'ffmpeg' | 'remotion';
  fps: number;
  durationFrames: number;
  /** [first, end) ranges covering the video, each drawn on its own and joined without re-encoding. */
  chunks: FrameRange[];
  /** The compositor's pictures (engine `compositor`). */
  compositor?: CompositorPlan;
  /** The sound (soundBy `ffmpeg`). */
  sound?: CompositorPlan;
}

export interface PlanRenderOptions {
  /** Range length for either engine; default chunkSeconds (GEN_VIDEO_CHUNK_SECONDS). */
  framesPerChunk?: number;
}

/** The plan for a timeline whose media are local files. Throws when a forced compositor cannot draw it. */
export function planRender(timeline: Timeline, settings: RenderSettings, opts: PlanRenderOptions = {}): RenderPlan {
  const { engine, ffmpegPath } = settings;
  const base = { fps: timeline.fps, durationFrames: timeline.durationFrames };
  // The same ranges whoever draws them and wherever: a farm's chunks join into this machine's video.
  const framesPerChunk = opts.framesPerChunk ?? settings.chunkSeconds * timeline.fps;
  const remotion = (reason?: string): RenderPlan => {
    if (!ffmpegPath) return { ...base, engine: 'remotion', reason, soundBy: 'remotion', chunks: [[0, timeline.durationFrames]] };
    const chunks = chunkRanges(timeline.durationFrames, framesPerChunk);
    return { ...base, engine: 'remotion', ...(reason ? { reason } : {}), soundBy: 'ffmpeg', chunks, sound: planSound(timeline) };
  };
  if (engine === 'remotion') return remotion();
  const compositor = planComposite(timeline);
  const reason = 'unsupported' in compositor ? compositor.unsupported : ffmpegPath ? undefined : 'no system ffmpeg (apt-get install ffmpeg)';
  if ('unsupported' in compositor || !ffmpegPath) {
    if (engine === 'compositor') throw new GenVideoError('RENDER_FAILED', `the compositor cannot draw this draft: ${reason}`);
    return remotion(reason);
  }
  return {
    ...base,
    engine: 'compositor',
    soundBy: 'ffmpeg',
    chunks: chunkRanges(timeline.durationFrames, framesPerChunk),
    compositor,
    sound: planSound(timeline),
  };
}

/**
 * The same render drawn and mixed by Remotion alone, in one piece (after the compositor failed
 * under `auto`: the ffmpeg it ran may be what failed).
 */
export function remotionInstead(timeline: Timeline, settings: RenderSettings, reason: string): RenderPlan {
  return { ...planRender(timeline, { ...settings, engine: 'remotion', ffmpegPath: null }), reason };
}
