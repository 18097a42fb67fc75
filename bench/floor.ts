/**
 * The floor: what plain ffmpeg needs for the same pixels and sound, in one filter graph — photos
 * decoded once and animated with zoompan (crop + rescale every frame, like the Ken Burns
 * keyframes), xfade cross-fades, the clips decoded, scaled and overlaid, caption images overlaid,
 * audio faded and mixed, then H.264/AAC with our encode settings. Our renderer cannot be faster
 * than this; the ratio ours/floor says how much the browser pipeline costs.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { EncodeSettings } from '../src/render/settings';
import { captionImageSize, SYSTEM_FFMPEG } from './media';
import type { AudioItem, BenchPlan } from './plan';
import { reapedChildrenCpuSec } from './process-tree';

export interface FloorResult {
  wallSec: number;
  cpuSec: number;
  frames: number;
  outPath: string;
  ffmpeg: string;
}

/** The renderer's rules (timeline/time.ts, transitions.ts): frames from rounded µs; a window
 * of w frames starts floor(w/2) frames before the cut. */
export const toFrames = (sec: number, fps: number) => Math.round((Math.round(sec * 1e6) * fps) / 1e6);
export const leadIn = (windowFrames: number) => Math.floor(windowFrames / 2);

export const fixed = (n: number) => Number(n.toFixed(6)).toString();

interface PhotoSpan {
  file: string;
  /** First and last+1 output frame the photo is visible, transitions included. */
  fromFrame: number;
  toFrame: number;
  /** Frames from `fromFrame` to the segment's own start (its lead-in). */
  leadFrames: number;
  segmentFrames: number;
  zoom: [number, number];
  panX: [number, number];
  /** Window of the cross-fade into this photo; 0 for the first. */
  fadeInFrames: number;
}

const photoSpans = (plan: BenchPlan): PhotoSpan[] => {
  const { fps } = plan;
  const windows = plan.photos.map((p) => toFrames(p.crossFadeSec, fps));
  return plan.photos.map((p, i) => {
    const start = toFrames(p.startSec, fps);
    const end = toFrames(p.startSec + p.durationSec, fps);
    const fadeInFrames = i > 0 ? windows[i - 1] : 0;
    const leadFrames = leadIn(fadeInFrames);
    const tailFrames = windows[i] - leadIn(windows[i]);
    return {
      file: p.file,
      fromFrame: start - leadFrames,
      toFrame: end + tailFrames,
      leadFrames,
      segmentFrames: end - start,
      zoom: p.zoom,
      panX: p.panX,
      fadeInFrames,
    };
  });
};

/**
 * Ken Burns as zoompan: the layer (fitted to the canvas, the photos have the canvas's shape)
 * scaled by z and moved right by x half-canvas units shows the input window of size iw/z whose
 * left edge is iw/2·(1 − (1 + x)/z). Key frames are held outside the segment, as in the draft.
 */
const zoompan = (plan: BenchPlan, s: PhotoSpan): string => {
  const progress = `clip((on-${s.leadFrames})/${s.segmentFrames},0,1)`;
  const lerp = ([a, b]: [number, number]) => `(${fixed(a)}+${fixed(b - a)}*${progress})`;
  return (
    `zoompan=z='${lerp(s.zoom)}'` +
    `:x='iw/2*(1-(1+${lerp(s.panX)})/zoom)':y='ih/2*(1-1/zoom)'` +
    `:d=${s.toFrame - s.fromFrame}:s=${plan.widthPx}x${plan.heightPx}:fps=${plan.fps}`
  );
};

type Sound = Pick<AudioItem, 'startSec' | 'durationSec'> & Partial<Pick<AudioItem, 'volume' | 'fadeInSec' | 'fadeOutSec'>>;

export const audioChain = (a: Sound, cutSec: number): string => {
  const parts = ['aformat=sample_rates=48000:channel_layouts=stereo'];
  if (a.volume !== undefined && a.volume !== 1) parts.push(`volume=${fixed(a.volume)}`);
  if (a.fadeInSec) parts.push(`afade=t=in:st=0:d=${fixed(a.fadeInSec)}`);
  const fadeOutStart = a.durationSec - (a.fadeOutSec ?? 0);
  if (a.fadeOutSec && fadeOutStart < cutSec - a.startSec) {
    parts.push(`afade=t=out:st=${fixed(fadeOutStart)}:d=${fixed(a.fadeOutSec)}`);
  }
  if (a.startSec > 0) parts.push(`adelay=${Math.round(a.startSec * 1000)}:all=1`);
  return parts.join(',');
};

/**
 * ffmpeg arguments for the first `cutSec` seconds. Items that start after the cut are left out
 * (as the renderer's cut leaves them out) and `-t` ends the output at the cut.
 */
export interface FloorOptions {
  mediaDir: string;
  floorDir: string;
  cutSec: number;
  encode: EncodeSettings;
  outPath: string;
}

/** What every floor graph starts from: the cut in whole frames, and ffmpeg's inputs numbered as added. */
export const floorStart = (plan: { fps: number; durationSec: number }, cutSec: number) => {
  const cutFrames = Math.min(toFrames(cutSec, plan.fps), toFrames(plan.durationSec, plan.fps));
  const inputs: string[] = [];
  let count = 0;
  return {
    cutFrames,
    cutSec: cutFrames / plan.fps,
    inputs,
    graph: [] as string[],
    input: (...args: string[]) => {
      inputs.push(...args);
      return count++;
    },
  };
};

export const floorArgs = (plan: BenchPlan, o: FloorOptions): string[] => {
  const { fps, widthPx: W, heightPx: H } = plan;
  const { cutFrames, cutSec, inputs, graph, input } = floorStart(plan, o.cutSec);

  // Photos: one decode each, then zoompan for every frame the photo is visible.
  const spans = photoSpans(plan).filter((s) => s.fromFrame < cutFrames);
  spans.forEach((s, i) => {
    const k = input('-i', path.join(o.mediaDir, s.file));
    graph.push(`[${k}:v]format=yuv420p,${zoompan(plan, s)},setsar=1[p${i}]`);
  });
  let base = 'p0';
  spans.slice(1).forEach((s, j) => {
    const i = j + 1;
    graph.push(
      `[${base}][p${i}]xfade=transition=fade:duration=${fixed(s.fadeInFrames / fps)}:offset=${fixed(s.fromFrame / fps)}[x${i}]`,
    );
    base = `x${i}`;
  });

  // Clips: contain-fitted to the canvas, centred, at their place in time; their sound too.
  const audioLabels: string[] = [];
  const clips = plan.clips.filter((c) => toFrames(c.startSec, fps) < cutFrames);
  clips.forEach((c, i) => {
    const k = input('-i', path.join(o.mediaDir, c.file));
    const fit = Math.min(W / c.widthPx, H / c.heightPx);
    const w = 2 * Math.round((c.widthPx * fit) / 2);
    const h = 2 * Math.round((c.heightPx * fit) / 2);
    graph.push(`[${k}:v]scale=${w}:${h},setpts=PTS-STARTPTS+${fixed(c.startSec)}/TB[c${i}]`);
    graph.push(`[${base}][c${i}]overlay=x=${(W - w) / 2}:y=${(H - h) / 2}:eof_action=pass[o${i}]`);
    base = `o${i}`;
    graph.push(`[${k}:a]${audioChain(c, cutSec)}[ca${i}]`);
    audioLabels.push(`[ca${i}]`);
  });

  // Captions: back to back and of one length in the plan, so one image sequence at 1/length fps
  // shows each for its time; overlay keeps the latest image under every frame.
  const caption = plan.captions[0];
  const backToBack = plan.captions.every(
    (c, i) => c.durationSec === caption.durationSec && Math.abs(c.startSec - i * caption.durationSec) < 1e-9,
  );
  if (!backToBack) throw new Error('floor: captions must be back to back and of one length');
  const { widthPx: cw, heightPx: ch } = captionImageSize(plan);
  const k = input(
    '-framerate', `1/${fixed(caption.durationSec)}`, '-start_number', '0',
    '-i', path.join(o.floorDir, 'caption-%02d.png'),
  );
  const centreY = (H / 2) * (1 - caption.yHalf);
  graph.push(`[${base}][${k}:v]overlay=x=${(W - cw) / 2}:y=${Math.round(centreY - ch / 2)}:format=yuv420[vout]`);

  return floorEnd({ inputs, graph, input }, [plan.music, plan.voice], audioLabels, { ...o, cutSec, fps });
};

/**
 * The end every floor graph shares: music and voice mixed with the sounds already labelled
 * (`[vout]` must be drawn by then), and the encode the renderer uses.
 */
export const floorEnd = (
  g: { inputs: string[]; graph: string[]; input: (...args: string[]) => number },
  sounds: AudioItem[],
  audioLabels: string[],
  o: FloorOptions & { fps: number },
): string[] => {
  for (const [i, a] of sounds.entries()) {
    const m = g.input('-i', path.join(o.mediaDir, a.file));
    g.graph.push(`[${m}:a]${audioChain(a, o.cutSec)}[ta${i}]`);
    audioLabels.push(`[ta${i}]`);
  }
  g.graph.push(`${audioLabels.join('')}amix=inputs=${audioLabels.length}:normalize=0:duration=longest[aout]`);
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    ...g.inputs,
    '-filter_complex', g.graph.join(';\n'),
    '-map', '[vout]', '-map', '[aout]',
    '-t', fixed(o.cutSec), '-r', String(o.fps),
    '-c:v', 'libx264', '-preset', o.encode.x264Preset, '-crf', String(o.encode.crf), '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '320k', '-ar', '48000',
    o.outPath,
  ];
};

/** Runs ffmpeg with a floor's arguments and times it (set-up of the media is not in the time). */
export const runFloorArgs = async (args: string[], frames: number): Promise<FloorResult> => {
  const cpuBefore = reapedChildrenCpuSec();
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(SYSTEM_FFMPEG, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`floor ffmpeg exited ${code}: ${stderr}`))));
  });
  const wallSec = (performance.now() - started) / 1000;
  const cpuSec = reapedChildrenCpuSec() - cpuBefore;
  return { wallSec, cpuSec, frames, outPath: args[args.length - 1], ffmpeg: SYSTEM_FFMPEG };
};

/** Runs the reference floor and times it. */
export const runFloor = (
  plan: BenchPlan,
  o: { mediaDir: string; floorDir: string; cutSec: number; encode: EncodeSettings; outPath: string },
): Promise<FloorResult> => runFloorArgs(floorArgs(plan, o), Math.min(toFrames(o.cutSec, plan.fps), toFrames(plan.durationSec, plan.fps)));
