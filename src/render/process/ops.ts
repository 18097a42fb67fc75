/**
 * What a render process can be asked to do: the render stages, with plain-data arguments (they
 * cross a process boundary). One process per render slot runs them one at a time.
 */
import type { Timeline } from '../../timeline/types';
import { assemble } from '../assemble';
import type { FrameRange } from '../engine';
import { planRender } from '../plan-render';
import { renderLocalTimeline } from '../render-draft';
import { mixSoundOf, renderRange } from '../render-timeline';
import type { RenderSettings } from '../settings';
import type { RenderProgress, RenderResult } from '../types';
import { BrowserSession, withBrowserSession } from '../browser';
import { browserDrawn, makeWorkDir, type BrowserDrawn } from '../compositor';
import { rmSync } from 'node:fs';

export interface OpContext {
  signal: AbortSignal;
  onProgress: (p: RenderProgress) => void;
  /** The process's kept browser, warm from the renders before. */
  browser?: BrowserSession;
}

export const OPS = {
  /** A whole timeline (media local) → MP4. */
  render: (a: { timeline: Timeline; outPath: string; settings: RenderSettings }, c: OpContext): Promise<Omit<RenderResult, 'timingsSec'>> =>
    renderLocalTimeline(a.timeline, { outPath: a.outPath, settings: a.settings, browser: c.browser, signal: c.signal, onProgress: c.onProgress }),

  /** Frames `range` of a timeline (media local) → an H.264 chunk, without sound. */
  range: async (
    a: { timeline: Timeline; range: FrameRange; framesPerChunk?: number; outPath: string; settings: RenderSettings },
    c: OpContext,
  ): Promise<{ engine: string; reason?: string; browserDrawn?: BrowserDrawn[] }> => {
    const plan = planRender(a.timeline, a.settings, { framesPerChunk: a.framesPerChunk });
    const workDir = makeWorkDir(a.settings.workDir, 'range-');
    try {
      const total = a.range[1] - a.range[0];
      await withBrowserSession(c.browser, (browser) =>
        renderRange(a.timeline, plan, a.range, a.outPath, {
          settings: a.settings,
          browser,
          workDir,
          signal: c.signal,
          withSound: false,
          onFrames: (n) => c.onProgress({ stage: 'render', progress: n / Math.max(1, total), renderedFrames: n, totalFrames: total }),
        }),
      );
      return { engine: plan.engine, ...(plan.reason ? { reason: plan.reason } : {}), ...(plan.compositor ? { browserDrawn: browserDrawn(plan.compositor) } : {}) };
    } finally {
      if (!a.settings.keepWorkFiles) rmSync(workDir, { recursive: true, force: true });
    }
  },

  /** The whole sound of a timeline (media local), mixed once → AAC. */
  sound: async (a: { timeline: Timeline; outPath: string; settings: RenderSettings }, c: OpContext): Promise<void> => {
    const plan = planRender(a.timeline, { ...a.settings, engine: 'remotion' });
    const workDir = makeWorkDir(a.settings.workDir, 'sound-');
    try {
      await mixSoundOf(plan, a.outPath, { settings: a.settings, workDir, signal: c.signal });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  },

  /** Chunks joined and the sound muxed in → MP4. */
  assemble: async (a: { parts: string[]; sound: string | null; outPath: string; settings: RenderSettings }, c: OpContext): Promise<void> => {
    const workDir = makeWorkDir(a.settings.workDir, 'assemble-');
    try {
      await assemble(a.parts, a.sound, a.outPath, { ffmpeg: a.settings.ffmpegPath!, workDir, signal: c.signal });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};

export type Ops = typeof OPS;
export type OpName = keyof Ops;
export type OpArgs<K extends OpName> = Parameters<Ops[K]>[0];
export type OpResult<K extends OpName> = Awaited<ReturnType<Ops[K]>>;

/** Messages between the host and a render process. */
export type ToChild = { type: 'run'; id: number; op: OpName; args: unknown } | { type: 'cancel'; id: number };
export type ToHost =
  | { type: 'progress'; id: number; progress: RenderProgress }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'failed'; id: number; error: { name: string; message: string; code?: string; reason?: string } };
