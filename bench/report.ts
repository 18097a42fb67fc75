/** The figures of a run: printed for people, and as JSON so runs can be compared. */
import type { Stage } from '../src/render/types';
import { describeBrowserDrawn } from '../src/render/compositor/plan';
import type { BenchResult } from './bench';

const STAGE_ORDER: Stage[] = ['parse', 'download', 'render', 'encode', 'audio', 'store'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export interface BenchSummary {
  wallSec: number;
  frames: number;
  videoSec: number;
  fps: number;
  realtimeX: number;
  peakRssMb: number;
  peakNodeRssMb: number;
  cpuSec: number;
  /** Mean over the renders. */
  stagesSec: Partial<Record<Stage, number>>;
  floorWallSec?: number;
  ratioToFloor?: number;
  floorCpuSec?: number;
  cpuRatioToFloor?: number;
}

export const summarize = (r: BenchResult): BenchSummary => {
  const wallSec = median(r.renders.map((x) => x.wallSec));
  const { frames, videoSec } = r.renders[0];
  const cpuSec = median(r.renders.map((x) => x.cpuSec));
  const stagesSec: Partial<Record<Stage, number>> = {};
  for (const stage of STAGE_ORDER) {
    const values = r.renders.map((x) => x.stagesSec[stage]).filter((v): v is number => v !== undefined);
    if (values.length) stagesSec[stage] = values.reduce((a, b) => a + b, 0) / values.length;
  }
  return {
    wallSec,
    frames,
    videoSec,
    fps: frames / wallSec,
    realtimeX: videoSec / wallSec,
    peakRssMb: Math.max(...r.renders.map((x) => x.treePeakRssMb)),
    peakNodeRssMb: Math.max(...r.renders.map((x) => x.nodePeakRssMb)),
    cpuSec,
    stagesSec,
    floorWallSec: r.floor?.wallSec,
    ratioToFloor: r.floor ? wallSec / r.floor.wallSec : undefined,
    floorCpuSec: r.floor?.cpuSec,
    cpuRatioToFloor: r.floor ? cpuSec / r.floor.cpuSec : undefined,
  };
};

/** Who drew and encoded the frames: the engine renderDraft chose, what the browser drew and why. */
const engineLines = (r: BenchResult, m: BenchResult['machine']): string[] => {
  const x = r.renders[0];
  if (x.engine === 'compositor') {
    const w = x.browserWork;
    return [
      `  engine: compositor — ${m.systemFfmpeg}, a graph per chunk; ${m.chromium}${r.warmBrowser ? ' (open before the clock, as a render process keeps it)' : ' (opened in the render)'} drew tiles of:`,
      `    ${x.browserDrawn?.length ? describeBrowserDrawn(x.browserDrawn) : 'nothing'}`,
      ...(w ? [`    ${w.tiles} tiles on ${w.frames} browser frames in ${w.seconds.toFixed(2)} s (after the first chunk's, alongside ffmpeg)`] : []),
    ];
  }
  return [
    `  engine: remotion${x.engineReason ? ` (${x.engineReason})` : ''} — frames drawn by ${m.chromium}; encoded and audio mixed by Remotion's ${m.remotionFfmpeg}`,
  ];
};

const mb = (n: number) => `${Math.round(n)} MB`;
const sec = (n: number) => `${n.toFixed(2)} s`;

export const formatReport = (r: BenchResult): string => {
  const s = summarize(r);
  const m = r.machine;
  const e = r.encode;
  const cut = r.cutSec !== undefined ? `first ${s.videoSec.toFixed(1)} s of ${r.plan.durationSec} s` : `${s.videoSec.toFixed(1)} s`;
  const lines = [
    `gen_video bench: ${r.plan.name} draft ${r.plan.widthPx}x${r.plan.heightPx} @ ${r.plan.fps} fps, ${cut} (${s.frames} frames)`,
    `  ${r.plan.contents}`,
    `machine: ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM, Node ${m.node}, ${m.os}; load ${m.loadAvg1m} at start, ${r.loadAvg1mAtEnd} at end`,
    `encode: crf ${e.crf}, x264 ${e.x264Preset}, concurrency ${e.concurrency}, jpeg quality ${e.jpegQuality}`,
    `set-up (not timed): media ${sec(r.setupSec.media)} by ${m.systemFfmpeg}; bundle ${sec(r.setupSec.bundle)}`,
    '',
    `ours: draft fetch + material download + renderDraft + store`,
    ...engineLines(r, m),
    `  wall time     ${sec(s.wallSec)}${r.renders.length > 1 ? ` (median of ${r.renders.length})` : ''}`,
    `  frames/s      ${s.fps.toFixed(2)}`,
    `  × real time   ${s.realtimeX.toFixed(3)}`,
    `  CPU time      ${sec(s.cpuSec)} (node + sampled children, a lower bound)`,
    `  peak memory   ${mb(s.peakRssMb)} (RSS summed over node + Chromium + ffmpeg); node alone ${mb(s.peakNodeRssMb)}`,
    `  stages        ${STAGE_ORDER.filter((st) => s.stagesSec[st] !== undefined).map((st) => `${st} ${sec(s.stagesSec[st]!)}`).join(' · ')}`,
    `                (render = frames drawn while encoding runs alongside; encode = the encoder's tail; audio = mix + mux)`,
  ];
  if (r.renders.length > 1) {
    r.renders.forEach((x, i) =>
      lines.push(
        `  render ${i + 1}: ${sec(x.wallSec)}, CPU ${sec(x.cpuSec)}, peak ${mb(x.treePeakRssMb)}, node RSS after ${mb(x.nodeRssAfterMb)} (heap ${mb(x.heapUsedAfterMb)})`,
      ),
    );
  } else {
    const x = r.renders[0];
    lines.push(`  node RSS after the render ${mb(x.nodeRssAfterMb)} (heap ${mb(x.heapUsedAfterMb)})`);
  }
  if (r.floor && s.floorWallSec !== undefined && s.ratioToFloor !== undefined) {
    lines.push(
      '',
      `floor: ${m.systemFfmpeg}`,
      `  one filter graph: ${r.plan.floorContents}; libx264 ${e.x264Preset} crf ${e.crf}, AAC`,
      `  wall time     ${sec(s.floorWallSec)}`,
      `  CPU time      ${sec(r.floor.cpuSec)}`,
      `  frames/s      ${(r.floor.frames / s.floorWallSec).toFixed(2)}`,
      `  × real time   ${(r.floor.frames / r.plan.fps / s.floorWallSec).toFixed(3)}`,
      '',
      `ours / floor    ${s.ratioToFloor.toFixed(2)} by wall time, ${s.cpuRatioToFloor!.toFixed(2)} by CPU time`,
    );
  }
  return lines.join('\n');
};

export const toJson = (r: BenchResult): Record<string, unknown> => {
  const s = summarize(r);
  return {
    wall_s: round(s.wallSec, 3),
    fps: round(s.fps, 3),
    realtime_x: round(s.realtimeX, 4),
    peak_rss_mb: round(s.peakRssMb, 1),
    floor_wall_s: s.floorWallSec !== undefined ? round(s.floorWallSec, 3) : null,
    ratio_to_floor: s.ratioToFloor !== undefined ? round(s.ratioToFloor, 3) : null,
    cpu_s: round(s.cpuSec, 2),
    floor_cpu_s: s.floorCpuSec !== undefined ? round(s.floorCpuSec, 2) : null,
    cpu_ratio_to_floor: s.cpuRatioToFloor !== undefined ? round(s.cpuRatioToFloor, 3) : null,
    peak_rss_node_mb: round(s.peakNodeRssMb, 1),
    video_s: round(s.videoSec, 3),
    frames: s.frames,
    draft: r.plan.name,
    warm_browser: r.warmBrowser,
    browser_drawn: r.renders[0].browserDrawn ?? null,
    browser_work: r.renders[0].browserWork ?? null,
    width: r.plan.widthPx,
    height: r.plan.heightPx,
    fps_video: r.plan.fps,
    cut_s: r.cutSec ?? null,
    engine: r.renders[0].engine,
    stages_s: Object.fromEntries(Object.entries(s.stagesSec).map(([k, v]) => [k, round(v, 3)])),
    encode: r.encode,
    renders: r.renders.map((x) => ({
      wall_s: round(x.wallSec, 3),
      cpu_s: round(x.cpuSec, 2),
      peak_rss_mb: round(x.treePeakRssMb, 1),
      node_rss_after_mb: round(x.nodeRssAfterMb, 1),
      heap_used_after_mb: round(x.heapUsedAfterMb, 1),
      size_bytes: x.sizeBytes,
      warnings: x.warnings.length,
    })),
    floor_fps: r.floor ? round(r.floor.frames / r.floor.wallSec, 3) : null,
    setup_s: { media: round(r.setupSec.media, 3), bundle: round(r.setupSec.bundle, 3) },
    machine: r.machine,
    load_avg_1m_at_end: r.loadAvg1mAtEnd,
    started_at: r.startedAt,
  };
};
