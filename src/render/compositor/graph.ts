/**
 * A compositor plan as one ffmpeg run: every picture decoded once, looped or played, scaled and
 * moved per frame by expressions, faded by lookup tables switched on by time, laid over the
 * canvas back to front; every sound trimmed, sped, faded and mixed; H.264/AAC as Remotion writes.
 */
import type { EncodeSettings } from '../render-timeline';
import { framesExpr, trackExpr } from './expr';
import type { CompositorPlan, Extent, PlannedPicture } from './plan';
import type { StillImage } from './stills';

export interface PictureFrames {
  x: number[];
  y: number[];
  w: number[];
  h: number[];
  /** 0..255. */
  alpha: number[];
  /** 0..1, unrounded (0 where the picture is too small to see). */
  opacity: number[];
  flipX: boolean;
  flipY: boolean;
}

/** Whole-pixel rectangles and alpha of a picture on each of its frames. */
export function pictureFrames(p: PlannedPicture, extent: Extent): PictureFrames {
  const out: PictureFrames = { x: [], y: [], w: [], h: [], alpha: [], opacity: [], flipX: false, flipY: false };
  for (const pl of p.placements) {
    const kx = p.reference.scaleX === 0 ? 0 : pl.scaleX / p.reference.scaleX;
    const ky = p.reference.scaleY === 0 ? 0 : pl.scaleY / p.reference.scaleY;
    const width = Math.abs(kx) * (extent.right - extent.left);
    const height = Math.abs(ky) * (extent.bottom - extent.top);
    const left = pl.centerXPx + Math.min(kx * extent.left, kx * extent.right);
    const top = pl.centerYPx + Math.min(ky * extent.top, ky * extent.bottom);
    const visible = width >= 0.5 && height >= 0.5;
    out.x.push(Math.round(left));
    out.y.push(Math.round(top));
    out.w.push(Math.max(1, Math.round(width)));
    out.h.push(Math.max(1, Math.round(height)));
    const opacity = visible ? Math.max(0, Math.min(1, pl.opacity)) : 0;
    out.opacity.push(opacity);
    out.alpha.push(Math.round(opacity * 255));
    if (kx < 0) out.flipX = true;
    if (ky < 0) out.flipY = true;
  }
  return out;
}

const constant = (values: readonly number[]) => values.every((v) => v === values[0]);
const q = (s: string) => `'${s}'`;
const sec = (n: number) => Number(n.toFixed(6)).toString();

/** ffmpeg's colour syntax for a CSS colour (#rgb, #rrggbb, rgb(), rgba()). */
export function ffmpegColor(css: string): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim());
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return `0x${h}`;
  }
  const fn = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/i.exec(css.trim());
  if (fn) {
    const byte = (v: string) => Math.max(0, Math.min(255, Math.round(Number(v)))).toString(16).padStart(2, '0');
    const alpha = fn[4] === undefined ? 1 : Math.max(0, Math.min(1, Number(fn[4])));
    return `0x${byte(fn[1])}${byte(fn[2])}${byte(fn[3])}@${sec(alpha)}`;
  }
  if (/^[a-z]+$/i.test(css.trim())) return css.trim();
  throw new Error(`colour ${css} is not one the compositor reads`);
}

/** Runs of frames with one alpha below 255: [first, last, alpha]. */
function alphaRuns(alpha: readonly number[]): [number, number, number][] {
  const runs: [number, number, number][] = [];
  alpha.forEach((a, f) => {
    const last = runs[runs.length - 1];
    if (last && last[2] === a && last[1] === f - 1) last[1] = f;
    else runs.push([f, f, a]);
  });
  return runs.filter(([, , a]) => a < 255);
}

const COLOR_OUT = 'out_color_matrix=bt709:out_range=tv';

const lut = (alpha255: number) => `lut=y=val:u=val:v=val:a=${q(`val*${alpha255}/255`)}`;

/**
 * One lookup table per run of frames with one alpha, each switched on by the frame's own time:
 * exact for any opacity curve (ffmpeg's fade filter starts its ramps on whole frames, half a frame
 * off the ramps of transitions and animations, which are sampled at frame middles).
 */
export function lutRuns(alpha: readonly number[], fromFrame: number, fps: number): string {
  const runs = alphaRuns(alpha);
  if (runs.length === 1 && runs[0][0] === 0 && runs[0][1] === alpha.length - 1) return `,${lut(runs[0][2])}`;
  return runs
    .map(([first, last, a]) => {
      const from = (fromFrame + first - 0.5) / fps;
      const to = (fromFrame + last + 0.5) / fps;
      return `,${lut(a)}:enable=${q(`between(t,${sec(from)},${sec(to)})`)}`;
    })
    .join('');
}


export interface GraphInputs {
  plan: CompositorPlan;
  stills: StillImage[];
  encode: EncodeSettings;
  outPath: string;
  /** `video`: H.264 only (a chunk); `audio`: AAC only (the whole mix); default both. */
  streams?: 'both' | 'video' | 'audio';
}

/** H.264 as Remotion writes it (same crf and preset), tagged BT.709. */
const VIDEO_OUT = (encode: EncodeSettings, frames: number, fps: number) => [
  '-map', '[vout]',
  '-frames:v', String(frames), '-r', String(fps),
  '-c:v', 'libx264', '-preset', encode.x264Preset, '-crf', String(encode.crf), '-pix_fmt', 'yuv420p',
  '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
];

const AUDIO_OUT = ['-map', '[aout]', '-c:a', 'aac', '-b:a', '320k', '-ar', '48000', '-ac', '2'];

export interface FfmpegJob {
  args: string[];
  /** The filter graph, written to a file and passed with -filter_complex_script. */
  graph: string;
}

/** Arguments and graph for one ffmpeg run; `graphPath` is where the caller writes `graph`. */
export function buildFfmpegJob(g: GraphInputs, graphPath: string): FfmpegJob {
  const { plan } = g;
  const { fps, durationFrames } = plan;
  const { width: W, height: H } = plan.canvas;
  const totalSec = durationFrames / fps;
  const inputs: string[] = [];
  const lines: string[] = [];
  let inputCount = 0;
  const input = (...args: string[]) => {
    inputs.push(...args);
    return inputCount++;
  };

  const streams = g.streams ?? 'both';
  const withVideo = streams !== 'audio';
  const withAudio = streams !== 'video';
  let base = 'base';
  if (withVideo) lines.push(`color=c=black:s=${W}x${H}:r=${fps}:d=${sec(totalSec)},format=yuv420p,settb=1/${fps}[base]`);

  (withVideo ? plan.pictures : []).forEach((p, i) => {
    let extent = p.extent;
    let source = '';
    if (p.source.kind === 'still') {
      const still = g.stills[p.source.index];
      if (!still || still.widthPx === 0) return; // nothing visible
      extent = {
        left: still.xPx - p.reference.centerXPx,
        right: still.xPx + still.widthPx - p.reference.centerXPx,
        top: still.yPx - p.reference.centerYPx,
        bottom: still.yPx + still.heightPx - p.reference.centerYPx,
      };
      const k = input('-i', still.file);
      source = `[${k}:v]crop=${still.widthPx}:${still.heightPx}:${still.xPx}:${still.yPx}`;
    }
    if (!extent) throw new Error(`picture ${p.id} has no extent`);
    const f = pictureFrames(p, extent);
    if (f.alpha.every((a) => a === 0)) return;
    // Scaled once to the largest size the whole picture reaches (in every chunk alike).
    const whole = p.wholePlacements ? pictureFrames({ ...p, placements: p.wholePlacements }, extent) : f;
    const maxW = Math.max(...whole.w);
    const maxH = Math.max(...whole.h);
    const fixedSize = f.w.every((w) => w === maxW) && f.h.every((h) => h === maxH);
    const crop = 'crop' in p.source && p.source.crop ? p.source.crop : undefined;
    const cropFilter = crop
      ? `crop=w=iw*${sec(crop.width)}:h=ih*${sec(crop.height)}:x=iw*${sec(crop.x)}:y=ih*${sec(crop.y)},`
      : '';
    const place = `settb=1/${fps},setpts=N+${p.fromFrame}`;
    // Pictures that do not move in time are scaled once, to the largest size they are shown at.
    const loopOnce = `scale=${maxW}:${maxH}:flags=bicubic:${COLOR_OUT},format=yuva420p,loop=loop=${p.durationFrames - 1}:size=1:start=0,${place}`;
    let chain: string;
    switch (p.source.kind) {
      case 'still':
        chain = `${source},${loopOnce}`;
        break;
      case 'image': {
        const k = input('-i', p.source.path);
        chain = `[${k}:v]${cropFilter}${loopOnce}`;
        break;
      }
      case 'color': {
        chain = `color=c=${ffmpegColor(p.source.color)}:s=16x16:r=${fps}:d=1,trim=end_frame=1,format=rgba,${loopOnce}`;
        break;
      }
      case 'video': {
        const v = p.source.video;
        const freeze = v.freezeBeforeFrame ?? 0;
        const playFrames = Math.max(1, (v.holdFromFrame ?? p.durationFrames) - freeze);
        // Seek a second early: ffmpeg drops frames before the seek point, but the frame shown at
        // the start is the last one at or before it. fps rounding up keeps, for each output frame,
        // the last source frame at or before its time, as Remotion's OffthreadVideo shows.
        const seekSec = Math.max(0, v.sourceStartSec - 1);
        const readSec = v.sourceStartSec - seekSec + (playFrames / fps) * v.playbackRate + 1;
        const k = input(...(seekSec > 0 ? ['-ss', sec(seekSec)] : []), '-t', sec(readSec), '-i', p.source.path);
        chain =
          `[${k}:v]setpts=(PTS-${sec(v.sourceStartSec - seekSec)}/TB)/${sec(v.playbackRate)},` +
          `fps=${fps}:round=up:start_time=0,trim=end_frame=${playFrames},` +
          `tpad=start=${freeze}:start_mode=clone:stop=-1:stop_mode=clone,trim=end_frame=${p.durationFrames},` +
          `${cropFilter}${place},` +
          `scale=${maxW}:${maxH}:flags=bicubic:${COLOR_OUT},format=yuva420p`;
        break;
      }
    }
    // Flips and fades run before the per-frame scale: after it, frame sizes change mid-stream,
    // which ffmpeg 5.1's lut and flips do not expect (they read the link's size and overrun).
    if (f.flipX) chain += ',hflip';
    if (f.flipY) chain += ',vflip';
    if (f.alpha.some((a) => a < 255)) {
      // A looped picture's frames all share one buffer: copied once here, the tables below work
      // in place. Without the copy each table would keep frame buffers of its own (tens of MB each).
      if (p.source.kind !== 'video') chain += ',copy';
      chain += lutRuns(f.alpha, p.fromFrame, fps);
    }
    if (!fixedSize) {
      // `n` counts this picture's own frames from 0: the layer-relative frame.
      // The colour conversion happened at one size above: swscale re-initialised with a matrix
      // change on every frame is ~7× slower. Nothing but overlay may follow: ffmpeg 5.1's other
      // filters keep the first frame's size when it changes mid-stream.
      chain += `,scale=w=${q(`max(1,round(${framesExpr(f.w, 'n')}))`)}:h=${q(`max(1,round(${framesExpr(f.h, 'n')}))`)}:eval=frame:flags=bicubic,format=yuva420p`;
    }
    lines.push(`${chain}[p${i}]`);
    // The main frame's time gives the layer-relative frame.
    const frameVar = `(t*${fps}-${p.fromFrame})`;
    const x = constant(f.x) ? String(f.x[0]) : q(`round(${framesExpr(f.x, frameVar)})`);
    const y = constant(f.y) ? String(f.y[0]) : q(`round(${framesExpr(f.y, frameVar)})`);
    lines.push(`[${base}][p${i}]overlay=x=${x}:y=${y}:eof_action=pass:format=yuv420[b${i}]`);
    base = `b${i}`;
  });
  if (withVideo) lines.push(`[${base}]format=yuv420p[vout]`);

  const sounds: string[] = [];
  (withAudio ? plan.audio : []).forEach(({ clip, path }, j) => {
    const outSec = clip.durationFrames / fps;
    const k = input(
      ...(clip.sourceStartSec > 0 ? ['-ss', sec(clip.sourceStartSec)] : []),
      '-t', sec(outSec * clip.playbackRate + 0.5),
      '-i', path,
    );
    const tempo: string[] = [];
    for (let r = clip.playbackRate; Math.abs(r - 1) > 1e-6; ) {
      const step = Math.max(0.5, Math.min(100, r));
      tempo.push(`atempo=${sec(step)}`);
      r /= step;
    }
    const delayMs = Math.round((clip.fromFrame / fps) * 1000);
    lines.push(
      `[${k}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,${tempo.map((t) => `${t},`).join('')}` +
        `atrim=end=${sec(outSec)},asetpts=PTS-STARTPTS,` +
        `volume=${q(trackExpr(clip.gain, `(t*${fps})`))}:eval=frame,` +
        `adelay=${delayMs}:all=1[a${j}]`,
    );
    sounds.push(`[a${j}]`);
  });
  if (withAudio) lines.push(
    sounds.length > 0
      ? `${sounds.join('')}amix=inputs=${sounds.length}:normalize=0:duration=longest,apad=whole_dur=${sec(totalSec)},atrim=end=${sec(totalSec)}[aout]`
      : `anullsrc=r=48000:cl=stereo,atrim=end=${sec(totalSec)}[aout]`,
  );

  const args = [
    '-hide_banner', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1', '-y',
    ...inputs,
    '-filter_complex_script', graphPath,
    ...(withVideo ? VIDEO_OUT(g.encode, durationFrames, fps) : []),
    ...(withAudio ? AUDIO_OUT : []),
    '-t', sec(totalSec),
    '-movflags', '+faststart',
    g.outPath,
  ];
  return { args, graph: lines.join(';\n') };
}
