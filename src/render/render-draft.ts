import { statSync } from 'node:fs';
import path from 'node:path';
import { prepareTimeline } from './prepare';
import { renderTimeline, type EncodeSettings } from './render-timeline';
import type { RenderDraftOptions, RenderResult, Stage } from './types';

/** Share of the whole job's progress each stage ends at. */
const STAGE_END: Record<Stage, number> = {
  parse: 0.03,
  download: 0.15,
  render: 0.9,
  audio: 0.96,
  encode: 0.99,
  store: 1,
  done: 1,
};

/**
 * The whole pipeline for one draft: load → timeline → local materials → MP4 at `outPath`.
 * Errors are GenVideoErrors carrying the API table's codes.
 */
export const renderDraft = async (
  opts: RenderDraftOptions & { encode?: Partial<EncodeSettings> },
): Promise<RenderResult> => {
  const timingsSec: RenderResult['timingsSec'] = {};
  let stageStart = performance.now();
  let current: Stage = 'parse';
  const enter = (stage: Stage, progress: number, extra?: { renderedFrames?: number; totalFrames?: number }) => {
    if (stage !== current) {
      timingsSec[current] = (timingsSec[current] ?? 0) + (performance.now() - stageStart) / 1000;
      stageStart = performance.now();
      current = stage;
    }
    opts.onProgress?.({ stage, progress, ...extra });
  };

  const timeline = await prepareTimeline({
    ...opts,
    onStage: (stage, share) =>
      stage === 'parse'
        ? enter('parse', 0)
        : enter('download', STAGE_END.parse + (STAGE_END.download - STAGE_END.parse) * share),
  });

  enter('render', STAGE_END.download, { renderedFrames: 0, totalFrames: timeline.durationFrames });
  const used = await renderTimeline(timeline, {
    outPath: opts.outPath,
    engine: opts.engine,
    // Under the data dir, which the server empties of orphans at start (a killed render's files).
    tempDir: path.join(opts.dataDir, 'tmp'),
    signal: opts.signal,
    encode: opts.encode,
    onProgress: (p) => {
      const extra = { renderedFrames: p.renderedFrames, totalFrames: p.totalFrames };
      // Remotion encodes frames as they come; once all are rendered it mixes the audio, then
      // muxes audio and video into the final file: the API's 视频渲染 → 音频处理 → 最终编码.
      if (p.stitchStage === 'muxing') {
        enter('encode', STAGE_END.audio, extra);
      } else if (p.renderedFrames < p.totalFrames) {
        const share = p.renderedFrames / Math.max(1, p.totalFrames);
        enter('render', STAGE_END.download + (STAGE_END.render - STAGE_END.download) * share, extra);
      } else {
        const share = p.encodedFrames / Math.max(1, p.totalFrames);
        enter('audio', STAGE_END.render + (STAGE_END.audio - STAGE_END.render) * share, extra);
      }
    },
  });
  enter('done', 1);

  return {
    outPath: opts.outPath,
    widthPx: timeline.widthPx,
    heightPx: timeline.heightPx,
    fps: timeline.fps,
    durationFrames: timeline.durationFrames,
    durationSec: timeline.durationFrames / timeline.fps,
    sizeBytes: statSync(opts.outPath).size,
    warnings: timeline.warnings,
    timingsSec,
    engine: used.engine,
    ...(used.reason ? { engineReason: used.reason } : {}),
  };
};
