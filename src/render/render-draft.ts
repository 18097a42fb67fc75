import { statSync } from 'node:fs';
import { prepareTimeline } from './prepare';
import { renderTimeline, type FrameProgress } from './render-timeline';
import type { Timeline } from '../timeline/types';
import type { RenderDraftOptions, RenderProgress, RenderResult, Stage } from './types';
import type { BrowserSession } from './browser';
import type { RenderSettings } from './settings';

/** Share of the whole job's progress each stage ends at. */
export const STAGE_END: Record<Stage, number> = {
  parse: 0.03,
  download: 0.15,
  render: 0.9,
  audio: 0.96,
  encode: 0.99,
  store: 1,
  done: 1,
};

/** A render's frame progress as the job's stage and share (the API's 视频渲染 → 音频处理 → 最终编码). */
export const frameStage = (p: FrameProgress): RenderProgress => {
  const extra = { renderedFrames: p.renderedFrames, totalFrames: p.totalFrames };
  if (p.stitchStage === 'muxing') return { stage: 'encode', progress: STAGE_END.audio, ...extra };
  if (p.renderedFrames < p.totalFrames) {
    const share = p.renderedFrames / Math.max(1, p.totalFrames);
    return { stage: 'render', progress: STAGE_END.download + (STAGE_END.render - STAGE_END.download) * share, ...extra };
  }
  const share = p.encodedFrames / Math.max(1, p.totalFrames);
  return { stage: 'audio', progress: STAGE_END.render + (STAGE_END.audio - STAGE_END.render) * share, ...extra };
};

/** Seconds per stage, from the progress reports that pass through it. */
export const stageTimer = (onProgress?: (p: RenderProgress) => void) => {
  const timingsSec: RenderResult['timingsSec'] = {};
  let stageStart = performance.now();
  let current: Stage = 'parse';
  return {
    timingsSec,
    enter(p: RenderProgress) {
      if (p.stage !== current) {
        timingsSec[current] = (timingsSec[current] ?? 0) + (performance.now() - stageStart) / 1000;
        stageStart = performance.now();
        current = p.stage;
      }
      onProgress?.(p);
    },
  };
};

/** A timeline with local media → MP4 at `outPath`, reporting the render's share of the job. */
export const renderLocalTimeline = async (
  timeline: Timeline,
  o: { outPath: string; settings: RenderSettings; browser?: BrowserSession; signal?: AbortSignal; onProgress?: (p: RenderProgress) => void },
): Promise<Omit<RenderResult, 'timingsSec'>> => {
  o.onProgress?.({ stage: 'render', progress: STAGE_END.download, renderedFrames: 0, totalFrames: timeline.durationFrames });
  const used = await renderTimeline(timeline, {
    outPath: o.outPath,
    settings: o.settings,
    browser: o.browser,
    signal: o.signal,
    onProgress: (p) => o.onProgress?.(frameStage(p)),
  });
  o.onProgress?.({ stage: 'done', progress: 1 });
  return {
    outPath: o.outPath,
    widthPx: timeline.widthPx,
    heightPx: timeline.heightPx,
    fps: timeline.fps,
    durationFrames: timeline.durationFrames,
    durationSec: timeline.durationFrames / timeline.fps,
    sizeBytes: statSync(o.outPath).size,
    warnings: timeline.warnings,
    engine: used.engine,
    ...(used.reason ? { engineReason: used.reason } : {}),
    ...(used.browserDrawn ? { browserDrawn: used.browserDrawn } : {}),
    ...(used.browserWork ? { browserWork: used.browserWork } : {}),
  };
};

/**
 * The whole pipeline for one draft: load → timeline → local materials → MP4 at `outPath`.
 * Errors are GenVideoErrors carrying the API table's codes.
 */
export const renderDraft = async (opts: RenderDraftOptions): Promise<RenderResult> => {
  const timer = stageTimer(opts.onProgress);
  const timeline = await prepareTimeline(opts, opts.settings, (stage, share) =>
    timer.enter(stage === 'parse' ? { stage, progress: 0 } : { stage, progress: STAGE_END.parse + (STAGE_END.download - STAGE_END.parse) * share }),
  );
  const result = await renderLocalTimeline(timeline, { outPath: opts.outPath, settings: opts.settings, browser: opts.browser, signal: opts.signal, onProgress: (p) => timer.enter(p) });
  return { ...result, timingsSec: timer.timingsSec };
};
