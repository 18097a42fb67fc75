/**
 * A compositor plan as one ffmpeg run: every picture decoded once, looped or played, scaled and
 * moved per frame by expressions, faded by lookup tables switched on by time, laid over the
 * canvas back to front; every sound trimmed, sped, faded and mixed; H.264/AAC as Remotion writes.
 */
import type { EncodeSettings } from '../settings';
import { framesExpr, trackExpr, type Segment } from './expr';
import { imageList, type DrawnTiles } from './drawings';
import type { CanvasBlur, CompositorPlan, Extent, PlannedPicture, StateRun } from './plan';
import { maxOf } from '../../timeline/numbers';
import { playedSourceSec } from '../../timeline/source-time';
import { gifOccurrences } from '../../timeline/picture';
import type { SourceClock, VideoColor } from '../../timeline/types';

export interface PictureFrames {
  x: number[];
  y: number[];
  /** The exact top-left corner (x, y are it rounded). */
  left: number[];
  top: number[];
  w: number[];
  h: number[];
  /** 0..255 (0 where the picture is too small to see). */
  alpha: number[];
  flipX: boolean;
  flipY: boolean;
  /** Exact size and centre of the (unrotated) picture, and the point it turns about. */
  widthF: number[];
  centerX: number[];
  centerY: number[];
  pivotX: number[];
  pivotY: number[];
  /** Radians, clockwise. */
  angle: number[];
}

/** Whole-pixel rectangles and alpha of a picture on each of its frames. */
export function pictureFrames(p: PlannedPicture, extent: Extent): PictureFrames {
  const out: PictureFrames = {
    x: [], y: [], left: [], top: [], w: [], h: [], alpha: [], flipX: false, flipY: false,
    widthF: [], centerX: [], centerY: [], pivotX: [], pivotY: [], angle: [],
  };
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
    out.left.push(left);
    out.top.push(top);
    out.w.push(Math.max(1, Math.round(width)));
    out.h.push(Math.max(1, Math.round(height)));
    out.alpha.push(visible ? Math.round(Math.max(0, Math.min(1, pl.opacity)) * 255) : 0);
    if (kx < 0) out.flipX = true;
    if (ky < 0) out.flipY = true;
    out.widthF.push(width);
    out.centerX.push(left + width / 2);
    out.centerY.push(top + height / 2);
    out.pivotX.push(pl.centerXPx);
    out.pivotY.push(pl.centerYPx);
    out.angle.push((pl.rotationDeg * Math.PI) / 180);
  }
  return out;
}

/** The chunks of one picture share its whole placements: their largest size is worked out once. */
const wholeSizes = new WeakMap<readonly unknown[], Map<string, { maxW: number; maxH: number }>>();

function wholeSize(p: PlannedPicture, whole: PlannedPicture['placements'], extent: Extent): { maxW: number; maxH: number } {
  const key = `${extent.left},${extent.right},${extent.top},${extent.bottom},${p.reference.scaleX},${p.reference.scaleY}`;
  let byExtent = wholeSizes.get(whole);
  if (!byExtent) wholeSizes.set(whole, (byExtent = new Map()));
  let size = byExtent.get(key);
  if (!size) {
    const f = pictureFrames({ ...p, placements: whole }, extent);
    size = { maxW: maxOf(f.w), maxH: maxOf(f.h) };
    byExtent.set(key, size);
  }
  return size;
}

/** Box a turning picture is turned in: its width and height, and the picture's padded size. */
export interface TurnBox {
  width: number;
  height: number;
}

/**
 * A turning picture is turned inside a box that holds it at any angle (at its largest size, with
 * a 2-pixel transparent border), then the box is scaled per frame: the box's size and top-left
 * corner per frame.
 */
export function turnedBoxes(f: PictureFrames, maxW: number, box: TurnBox): { w: number[]; h: number[]; x: number[]; y: number[] } {
  const out = { w: [] as number[], h: [] as number[], x: [] as number[], y: [] as number[] };
  f.angle.forEach((a, i) => {
    const k = f.widthF[i] / maxW;
    // The picture's centre, turned about the layer's centre (they differ for a still's visible part).
    const dx = f.centerX[i] - f.pivotX[i];
    const dy = f.centerY[i] - f.pivotY[i];
    const cx = f.pivotX[i] + dx * Math.cos(a) - dy * Math.sin(a);
    const cy = f.pivotY[i] + dx * Math.sin(a) + dy * Math.cos(a);
    out.w.push(Math.max(2, Math.round(box.width * k)));
    out.h.push(Math.max(2, Math.round(box.height * k)));
    out.x.push(cx - (box.width * k) / 2);
    out.y.push(cy - (box.height * k) / 2);
  });
  return out;
}

/**
 * The turn box for a picture: even sides at least its padded diagonal, chosen so that where the
 * picture stands upright at full size its corner lands on an even pixel, as overlay places
 * 4:2:0 pictures: there the turned picture is pixel for pixel the upright one.
 */
export function turnBox(f: PictureFrames, maxW: number, maxH: number): TurnBox {
  const diagonal = Math.hypot(maxW + 4, maxH + 4);
  const base = 2 * Math.ceil(diagonal / 2) + 2;
  const upright = f.angle.findIndex((a, i) => Math.abs(a) < 1e-9 && Math.abs(f.widthF[i] - maxW) < 0.5);
  if (upright < 0) return { width: base, height: base };
  // Even sides make the picture's offset in the box whole only when its own sides are even too.
  const pick = (centre: number, pictureSide: number) => {
    const candidates = [base, base + 2];
    const misfit = (side: number) => {
      const corner = centre - side / 2;
      return Math.abs(corner / 2 - Math.round(corner / 2)) + (pictureSide % 2 ? 1 : 0);
    };
    return candidates.reduce((best, c) => (misfit(c) < misfit(best) ? c : best));
  };
  return { width: pick(f.centerX[upright], maxW), height: pick(f.centerY[upright], maxH) };
}

const constant = (values: readonly number[]) => values.every((v) => v === values[0]);

/** Seconds with the precision frame times need (a tenth of a microsecond). */
const precise = (n: number) => Number(n.toFixed(7)).toString();

/**
 * `setpts` giving each source frame the output time (seconds after the picture's first played
 * frame) at which the clock reaches its source time; `offsetSec` is the clock's start in the
 * decoded stream. A constant speed is one line; a speed curve is the clock's inverse, straight
 * between the source times of consecutive output frames, so a source frame exactly at an output
 * frame's source time lands exactly on that frame.
 */
export function outputTimeOfSource(clock: SourceClock, offsetSec: number, playFrames: number, fps: number): string {
  // A time base of 1/100 000 of a frame: setpts truncates to it, and a source frame a hair after
  // an output frame's source time (a curve can put one there) must not round onto that frame.
  const timeBase = `settb=1/${fps * 100_000},`;
  if (!clock.speedCurve) return `${timeBase}setpts=(PTS-${sec(offsetSec)}/TB)/${sec(clock.playbackRate)}`;
  const segments: Segment[] = [];
  for (let k = 0; k < playFrames; k++) {
    const from = playedSourceSec(clock, k / fps);
    const slope = 1 / fps / (playedSourceSec(clock, (k + 1) / fps) - from);
    const last = segments[segments.length - 1];
    // Drop knots a straight stretch (a constant speed) does not need.
    if (last && Math.abs(last.b - slope) <= 1e-9 * slope) continue;
    segments.push({ from, a: k / fps, b: slope });
  }
  // The frame's source seconds after the clock's start.
  const s = `(T-${precise(offsetSec)})`;
  const tree = (lo: number, hi: number): string => {
    if (hi - lo === 1) {
      const { from, a, b } = segments[lo];
      return `(${precise(a)}+${precise(b)}*(${s}-${precise(from)}))`;
    }
    const mid = (lo + hi) >> 1;
    return `if(lt(${s},${precise(segments[mid].from)}),${tree(lo, mid)},${tree(mid, hi)})`;
  };
  return `${timeBase}setpts='${tree(0, segments.length)}/TB'`;
}
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
/**
 * swscale's fast path is off by levels: greys turn pink when a picture shrinks 4× or more (a
 * 1280×720 grey 128 at 32×18 came out (140, 127, 142)), and RGB → YUV loses red (255 → 251).
 * `accurate_rnd` rounds exactly and costs ~5 % when no matrix changes (video comes in as BT.709,
 * see videoToBt709); pictures converted from RGB once (photos, stills, colours) add full-res
 * chroma for exact colours.
 */
const SCALE_FLAGS = 'bicubic+accurate_rnd';
const STILL_FLAGS = `${SCALE_FLAGS}+full_chroma_int`;
/**
 * The per-frame scale of a moving picture (from its largest size, a little at a time): bilinear,
 * as the browser samples a transformed picture, and a tenth of the graph's time less than bicubic.
 */
const FRAME_FLAGS = 'bilinear';
/**
 * Inputs of the browser's PNGs: Chromium writes a frame without any transparent pixel as RGB, the
 * others as RGBA. By default ffmpeg rebuilds the whole filter graph when an input's pixel format
 * changes mid-stream, losing every filter's state (a looped photo has no frame left to loop); here
 * the input's graph is kept and the chain starts with format=rgba, whose scaler follows the change.
 */
const TILE_INPUT = ['-reinit_filter', '0'];
/** gblur's passes: 3 approximates a Gaussian as closely as Chromium's triple box blur does. */
const BLUR_STEPS = 3;

const COLORSPACE_MATRIX: Record<VideoColor['matrix'], string> = {
  bt709: 'bt709',
  bt601: 'bt470bg',
  bt2020: 'bt2020ncl',
  smpte240m: 'smpte240m',
  fcc: 'fcc',
};

/**
 * A video's YUV as BT.709 limited range, exactly (materials/color-tags.ts: its tags, untagged
 * read as BT.601): the output's matrix. Only the matrix and range change (primaries and transfer
 * are declared equal), and a BT.709 limited-range video passes untouched. swscale's own
 * conversion between YUV matrices is 2–4 levels off on greys ((128,128,128) came out
 * (124,126,126)); `colorspace` is exact and, on 1080p, faster.
 */
export function videoToBt709(color: VideoColor | undefined): string {
  if (!color || (color.matrix === 'bt709' && color.range === 'tv')) return '';
  const same = 'primaries=bt709:trc=bt709:iprimaries=bt709:itrc=bt709';
  return `colorspace=ispace=${COLORSPACE_MATRIX[color.matrix]}:irange=${color.range}:space=bt709:range=tv:${same},`;
}

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
  /** The browser's drawn tiles the pictures use (none needed for the sound). */
  tiles?: DrawnTiles;
  /** Where the graph is written; lists of drawn frames go beside it. */
  graphPath: string;
  /** Files the job needs written besides the graph (concat lists). */
  files?: { path: string; content: string }[];
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

const AUDIO_RATE = 48000;
const AUDIO_OUT = ['-map', '[aout]', '-c:a', 'aac', '-b:a', '320k', '-ar', String(AUDIO_RATE), '-ac', '2'];

export interface FfmpegJob {
  args: string[];
  /** The filter graph, written to a file and passed with -filter_complex_script. */
  graph: string;
  /** Other files to write before running (lists of drawn frames). */
  files: { path: string; content: string }[];
}

/** Arguments and graph for one ffmpeg run; the caller writes `graph` at `g.graphPath` and `files`. */
export function buildFfmpegJob(input0: GraphInputs): FfmpegJob {
  const g: GraphInputs = { ...input0, files: [] };
  const graphPath = g.graphPath;
  const { plan } = g;
  const { fps, durationFrames } = plan;
  const { width: W, height: H } = plan.canvas;
  const totalSec = durationFrames / fps;
  const inputs: string[] = [];
  const lines: string[] = [];
  let inputCount = 0;
  // One decoding thread per input: a graph has dozens of inputs, and each decoder's frame threads
  // hold frames of their own (a PNG of the canvas is 8 MB); x264's threads keep both cores busy.
  const input = (...args: string[]) => {
    inputs.push('-threads', '1', ...args);
    return inputCount++;
  };

  const streams = g.streams ?? 'both';
  const withVideo = streams !== 'audio';
  const withAudio = streams !== 'video';
  let base = 'base';
  if (withVideo) lines.push(`color=c=black:s=${W}x${H}:r=${fps}:d=${sec(totalSec)},format=yuv420p,settb=1/${fps}[base]`);

  (withVideo ? plan.pictures : []).forEach((p, i) => {
    let extent = p.extent;
    const s = p.source;
    // The drawn tile(s) a picture starts from: the atlas frames' cut, or the visible part of a single tile.
    let tiles: { input: string; states?: StateRun[]; grid?: { cols: number; rows: number; skip: number; count: number } } | undefined;
    if (s.kind === 'drawn') {
      const d = plan.drawings[s.drawing];
      const at = plan.atlas.drawings[s.drawing].at;
      const { width: w, height: h } = d.window;
      if (d.trim) {
        const visible = g.tiles!.visible(s.drawing);
        if (!visible) return; // nothing visible
        extent = {
          left: extent!.left + visible.x,
          right: extent!.left + visible.x + visible.width,
          top: extent!.top + visible.y,
          bottom: extent!.top + visible.y + visible.height,
        };
        const k = input(...TILE_INPUT, '-i', g.tiles!.file(at[0].frame));
        tiles = { input: `[${k}:v]format=rgba,crop=${visible.width}:${visible.height}:${at[0].x + visible.x}:${at[0].y + visible.y}` };
      } else if (s.runs.length === 1) {
        const tile = at[s.runs[0].state];
        const k = input(...TILE_INPUT, '-i', g.tiles!.file(tile.frame));
        tiles = { input: `[${k}:v]format=rgba,crop=${w}:${h}:${tile.x}:${tile.y}` };
      } else {
        // Several states: the drawing's frames in a row, cut into tiles, each shown from its run's first frame.
        const first = s.runs[0].state;
        const last = s.runs[s.runs.length - 1].state;
        const frames = [...new Set(at.slice(first, last + 1).map((t) => t.frame))];
        const grid = plan.atlas.drawings[s.drawing].grid ?? { cols: 1, rows: 1 };
        const perFrame = grid.cols * grid.rows;
        const list = `${g.graphPath}.p${i}.txt`;
        g.files?.push({ path: list, content: imageList(frames.map((f) => g.tiles!.file(f))) });
        const k = input(...TILE_INPUT, '-f', 'concat', '-safe', '0', '-i', list);
        tiles = { input: `[${k}:v]format=rgba,`, states: s.runs, grid: { ...grid, skip: first % perFrame, count: last - first + 1 } };
      }
    }
    if (!extent) throw new Error(`picture ${p.id} has no extent`);
    const f = pictureFrames(p, extent);
    if (f.alpha.every((a) => a === 0)) return;
    // Scaled once to the largest size the whole picture reaches (in every chunk alike).
    const { maxW, maxH } = p.wholePlacements ? wholeSize(p, p.wholePlacements, extent) : { maxW: maxOf(f.w), maxH: maxOf(f.h) };
    const fixedSize = f.w.every((w) => w === maxW) && f.h.every((h) => h === maxH);
    const crop = 'crop' in s && s.crop ? s.crop : undefined;
    const cropFilter = crop
      ? `crop=w=iw*${sec(crop.width)}:h=ih*${sec(crop.height)}:x=iw*${sec(crop.x)}:y=ih*${sec(crop.y)},`
      : '';
    const place = `settb=1/${fps},setpts=N+${p.fromFrame}`;
    const toSize = (flags: string) => `scale=${maxW}:${maxH}:flags=${flags}:${COLOR_OUT},format=yuva420p`;
    // Pictures that do not move in time are scaled once, to the largest size they are shown at.
    const loopOnce = `${toSize(STILL_FLAGS)},loop=loop=${p.durationFrames - 1}:size=1:start=0,${place}`;
    // A blurred canvas background: scaled, cut to the canvas and a margin the blur reads, blurred, cut to the canvas.
    const blurred = (b: CanvasBlur, flags: string) => {
      const bw = Math.max(2, 2 * Math.round(b.widthPx / 2));
      const bh = Math.max(2, 2 * Math.round(b.heightPx / 2));
      const margin = Math.ceil(3 * b.sigmaPx);
      const cw = Math.min(bw, maxW + 2 * margin);
      const ch = Math.min(bh, maxH + 2 * margin);
      return (
        `scale=${bw}:${bh}:flags=${flags}:${COLOR_OUT},crop=${cw}:${ch}:${(bw - cw) / 2}:${(bh - ch) / 2},` +
        `gblur=sigma=${sec(b.sigmaPx)}:steps=${BLUR_STEPS},crop=${maxW}:${maxH}:${(cw - maxW) / 2}:${(ch - maxH) / 2},format=yuva420p`
      );
    };
    let chain: string;
    switch (s.kind) {
      case 'drawn': {
        const t = tiles!;
        if (!t.states) {
          chain = `${t.input},${loopOnce}`;
          break;
        }
        const { cols, rows, skip, count } = t.grid!;
        const { width: w, height: h } = plan.drawings[s.drawing].window;
        const starts = t.states.map((r) => r.from);
        chain =
          `${t.input}crop=${cols * w}:${rows * h}:0:0,${cols * rows > 1 ? `untile=${cols}x${rows},` : ''}` +
          `trim=start_frame=${skip}:end_frame=${skip + count},${toSize(STILL_FLAGS)},` +
          `settb=1/${fps},setpts='${p.fromFrame}+round(${framesExpr(starts, 'N')})',fps=${fps},` +
          `tpad=stop=-1:stop_mode=clone,trim=end_frame=${p.durationFrames}`;
        break;
      }
      case 'image': {
        const k = input('-i', s.path);
        chain = s.blur
          ? `[${k}:v]${cropFilter}${blurred(s.blur, STILL_FLAGS)},loop=loop=${p.durationFrames - 1}:size=1:start=0,${place}`
          : `[${k}:v]${cropFilter}${loopOnce}`;
        break;
      }
      case 'color': {
        chain = `color=c=${ffmpegColor(s.color)}:s=16x16:r=${fps}:d=1,trim=end_frame=1,format=rgba,${loopOnce}`;
        break;
      }
      case 'gif': {
        // Its images once (the demuxer does not loop), looped here and timed by the player's rule.
        // One occurrence more, at the picture's end: fps drops a stream's last frame at its end.
        const { first, starts } = gifOccurrences(s.delaysMs, s.layerFrame, p.durationFrames, fps);
        const k = input('-i', s.path);
        chain =
          `[${k}:v]format=rgba,loop=loop=-1:size=${s.delaysMs.length}:start=0,trim=start_frame=${first}:end_frame=${first + starts.length + 1},` +
          `settb=1/${fps},setpts='round(${framesExpr([...starts, p.durationFrames], 'N')})',fps=${fps},trim=end_frame=${p.durationFrames},` +
          // Bilinear, as the GIF player's canvas draws it scaled.
          `${cropFilter}${place},${toSize('bilinear+accurate_rnd+full_chroma_int')}`;
        break;
      }
      case 'video': {
        const v = s.video;
        const freeze = v.freezeBeforeFrame ?? 0;
        const playFrames = Math.max(1, (v.holdFromFrame ?? p.durationFrames) - freeze);
        // Seek a second early: ffmpeg drops frames before the seek point, but the frame shown at
        // the start is the last one at or before it. Each source frame is given the output time
        // at which the clock reaches it; fps rounding up then keeps, for each output frame, the
        // last source frame at or before its exact source time (source-time.ts).
        const seekSec = Math.max(0, v.sourceStartSec - 1);
        const readSec = v.sourceStartSec - seekSec + playedSourceSec(v, playFrames / fps) + 1;
        const k = input(...(seekSec > 0 ? ['-ss', sec(seekSec)] : []), '-t', sec(readSec), '-i', s.path);
        chain =
          `[${k}:v]${videoToBt709(s.color)}${outputTimeOfSource(v, v.sourceStartSec - seekSec, playFrames, fps)},` +
          `fps=${fps}:round=up:start_time=0,trim=end_frame=${playFrames},` +
          `tpad=start=${freeze}:start_mode=clone:stop=-1:stop_mode=clone,trim=end_frame=${p.durationFrames},` +
          `${cropFilter}${place},` +
          (s.blur ? blurred(s.blur, SCALE_FLAGS) : `scale=${maxW}:${maxH}:flags=${SCALE_FLAGS}:${COLOR_OUT},format=yuva420p`);
        if (s.mask !== undefined) {
          // Played through its mask: the mask's alpha (drawn once), scaled alike, as the video's alpha.
          const m = plan.drawings[s.mask];
          const at = plan.atlas.drawings[s.mask].at[0];
          const km = input(...TILE_INPUT, '-i', g.tiles!.file(at.frame));
          lines.push(
            `[${km}:v]format=rgba,crop=${m.window.width}:${m.window.height}:${at.x}:${at.y},alphaextract,` +
              `scale=${maxW}:${maxH}:flags=${STILL_FLAGS},loop=loop=-1:size=1:start=0[m${i}]`,
          );
          lines.push(`${chain}[v${i}]`);
          chain = `[v${i}][m${i}]alphamerge=shortest=1`;
        }
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
    let x: string;
    let y: string;
    // The main frame's time gives the layer-relative frame.
    const frameVar = `(t*${fps}-${p.fromFrame})`;
    // overlay puts 4:2:0 pictures on even pixels (it rounds down); rounding to the nearest even
    // pixel here keeps the error within ±1 (blending at 4:4:4 would cost a quarter more time).
    const position = (values: number[]) => {
      const even = values.map((v) => 2 * Math.round(v / 2));
      return constant(even) ? String(even[0]) : q(`round(${framesExpr(even, frameVar)})`);
    };
    if (f.angle.some((a) => Math.abs(a) > 1e-9)) {
      // Turned at its largest size inside a fixed square (filters before a size change only),
      // then the square scaled: the plan allows turning only with one scale for both axes.
      const box = turnBox(f, maxW, maxH);
      const boxes = turnedBoxes(f, maxW, box);
      // The transparent border keeps rotate's edge samples (clamped to the picture) transparent;
      // c=none would leave the previous frame's pixels in the corners.
      chain += `,pad=w=iw+4:h=ih+4:x=2:y=2:color=black@0,rotate=a=${q(framesExpr(f.angle, 'n', 1e-4))}:ow=${box.width}:oh=${box.height}:c=black@0`;
      if (!boxes.w.every((v) => v === box.width) || !boxes.h.every((v) => v === box.height)) {
        chain += `,scale=w=${q(`max(2,round(${framesExpr(boxes.w, 'n')}))`)}:h=${q(`max(2,round(${framesExpr(boxes.h, 'n')}))`)}:eval=frame:flags=${FRAME_FLAGS},format=yuva420p`;
      }
      x = position(boxes.x);
      y = position(boxes.y);
    } else {
      if (!fixedSize) {
        // `n` counts this picture's own frames from 0: the layer-relative frame.
        // The colour conversion happened at one size above: swscale re-initialised with a matrix
        // change on every frame is ~7× slower. Nothing but overlay may follow: ffmpeg 5.1's other
        // filters keep the first frame's size when it changes mid-stream.
        chain += `,scale=w=${q(`max(1,round(${framesExpr(f.w, 'n')}))`)}:h=${q(`max(1,round(${framesExpr(f.h, 'n')}))`)}:eval=frame:flags=${FRAME_FLAGS},format=yuva420p`;
      }
      // From the exact corner: rounding to a whole pixel first, then to an even one, could move it 2 pixels.
      x = position(f.left);
      y = position(f.top);
    }
    lines.push(`${chain}[p${i}]`);
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
    // In samples: a millisecond off would already put two clips of one tone out of phase.
    const delaySamples = Math.round((clip.fromFrame / fps) * AUDIO_RATE);
    lines.push(
      `[${k}:a]aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo,${tempo.map((t) => `${t},`).join('')}` +
        `atrim=end=${sec(outSec)},asetpts=PTS-STARTPTS,` +
        `volume=${q(trackExpr(clip.gain, `(t*${fps})`))}:eval=frame,` +
        `adelay=delays=${delaySamples}S:all=1[a${j}]`,
    );
    sounds.push(`[a${j}]`);
  });
  if (withAudio) lines.push(
    sounds.length > 0
      ? `${sounds.join('')}amix=inputs=${sounds.length}:normalize=0:duration=longest,apad=whole_dur=${sec(totalSec)},atrim=end=${sec(totalSec)}[aout]`
      : `anullsrc=r=${AUDIO_RATE}:cl=stereo,atrim=end=${sec(totalSec)}[aout]`,
  );

  const args = [
    '-hide_banner', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1', '-y',
    ...inputs,
    // Filters on one thread too: slices of small pictures cost more to hand out than to draw, and
    // every thread's buffers count.
    '-filter_complex_threads', '1',
    '-filter_complex_script', graphPath,
    ...(withVideo ? VIDEO_OUT(g.encode, durationFrames, fps) : []),
    ...(withAudio ? AUDIO_OUT : []),
    '-t', sec(totalSec),
    '-movflags', '+faststart',
    g.outPath,
  ];
  return { args, graph: lines.join(';\n'), files: g.files! };
}
