/**
 * How the compositor draws a timeline, layer by layer. Every layer becomes pictures that ffmpeg
 * places, moves and fades on each frame (timeline/picture: the same numbers LayerBox draws with).
 * A picture's source is a file, a colour, or a **drawing**: what the browser draws of the layer
 * with the video's own React components, as tiles:
 * - `neutral`: the layer's content where ffmpeg cannot make it (text, masks on pictures,
 *   adjustments, GIFs, karaoke), at one reference placement, once per state of that content
 *   (a caption once, a typewriter once per character, a GIF once per image it shows): ffmpeg then
 *   moves and fades it like a photo;
 * - `posed`: the whole layer as the video draws it, on the frames whose look only CSS can make
 *   (a blurring or colour-shifting transition, a wipe, a blurring animation, a flip mid-play),
 *   over the part of the canvas it can reach: ffmpeg lays it in its place in the stack;
 * - `mask`: only a video's mask, once: ffmpeg plays the video through it.
 * Each drawing says which layer and why. Only a timeline none of this can draw (a frame rate
 * that is not whole) comes back as the reason, and Remotion draws it whole.
 */
import { constantTrack, isConstant, valueAt } from '../../timeline/track';
import type { AudioClip, Background, CropRect, SourceClock, Timeline, VideoColor, VisualLayer } from '../../timeline/types';
import {
  blurEdgeScale,
  flashAt,
  gifFrameAt,
  highlightProgress,
  layerPoseAt,
  layerTransitionEffects,
  pictureRect,
  placementAt,
  revealPieces,
  textExtentBound,
  type Canvas,
  type Placement,
} from '../../timeline/picture';
import { maxOf } from '../../timeline/numbers';
import { shiftClock } from '../../timeline/source-time';
import { layoutAtlas, type Atlas } from './atlas';
import type { Drawing, Rect } from './drawing';

export type { Drawing, DrawingMode, Rect } from './drawing';

/** A blurred canvas background: the picture scaled to widthPx × heightPx, centred, blurred, cut to the canvas. */
export interface CanvasBlur {
  sigmaPx: number;
  widthPx: number;
  heightPx: number;
}

/** From picture frame `from` on (until the next run), the drawing's state `state` shows. */
export interface StateRun {
  state: number;
  from: number;
}

export type PictureSource =
  | { kind: 'image'; path: string; crop?: CropRect; blur?: CanvasBlur }
  | {
      kind: 'video';
      path: string;
      crop?: CropRect;
      video: SourceClock;
      /** How its YUV is read (absent: as ffmpeg reads the file). */
      color?: VideoColor;
      blur?: CanvasBlur;
      /** A `mask` drawing whose alpha the video is played through. */
      mask?: number;
    }
  /**
   * A GIF played by ffmpeg: its images decoded once and looped, each shown from the frame the
   * GIF player shows it (timeline/picture gifImageAt); `layerFrame` is the layer frame the
   * picture starts at.
   */
  | { kind: 'gif'; path: string; crop?: CropRect; delaysMs: number[]; layerFrame: number }
  /** Tiles of `drawings[drawing]`: which state shows on which frame. */
  | { kind: 'drawn'; drawing: number; runs: StateRun[] }
  | { kind: 'color'; color: string };

/** A picture's edges around its reference centre, at its reference scale (pixels). */
export interface Extent {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface PlannedPicture {
  /** For messages and graph labels. */
  id: string;
  fromFrame: number;
  durationFrames: number;
  source: PictureSource;
  /** Known now, except for single drawn tiles (cut to their visible part once drawn). */
  extent?: Extent;
  reference: Placement;
  /** One per frame of the picture. */
  placements: Placement[];
  /** A chunk of a longer picture: the whole picture's placements, so every chunk scales it alike. */
  wholePlacements?: Placement[];
}

/** Which layers the browser draws, and why: the render's report. */
export interface BrowserDrawn {
  layerId: string;
  kind: Drawing['kind'];
  why: string;
  /** Tiles drawn (one per state). */
  tiles: number;
}

export interface PlannedAudio {
  clip: AudioClip;
  path: string;
}

export interface CompositorPlan {
  canvas: Canvas;
  fps: number;
  durationFrames: number;
  /** Back to front. */
  pictures: PlannedPicture[];
  drawings: Drawing[];
  /** Where every drawing's tiles go in the browser's frames: fixed for the whole video, so any chunk draws the same pixels. */
  atlas: Atlas;
  audio: PlannedAudio[];
}

/** Pictures larger than this many canvases across are drawn posed by the browser (ffmpeg would scale them per frame). */
const MAX_SCALE_OF_CANVAS = 4;

const IDENTITY: Placement = { centerXPx: 0, centerYPx: 0, scaleX: 1, scaleY: 1, rotationDeg: 0, opacity: 1 };

class Unsupported extends Error {}

const fail = (what: string): never => {
  throw new Unsupported(what);
};

const invisible = (p: Placement) => p.opacity <= 0 || p.scaleX === 0 || p.scaleY === 0;

/** Why ffmpeg cannot place this layer on any frame (the browser draws it posed throughout), or null. */
function wholeLayerReason(layer: VisualLayer, placements: Placement[], canvas: Canvas): string | null {
  const flipX = Math.sign(placements[0]?.scaleX ?? 1);
  const flipY = Math.sign(placements[0]?.scaleY ?? 1);
  if (placements.some((p) => (p.scaleX !== 0 && Math.sign(p.scaleX) !== flipX) || (p.scaleY !== 0 && Math.sign(p.scaleY) !== flipY))) {
    return 'it flips while it plays';
  }
  if (placements.some((p) => Math.abs(p.rotationDeg % 360) > 1e-9)) {
    // Turned pictures are turned at their largest size, then scaled alike in both directions.
    const mx = maxOf(placements.map((p) => Math.abs(p.scaleX)));
    const my = maxOf(placements.map((p) => Math.abs(p.scaleY)));
    if (placements.some((p) => Math.abs(Math.abs(p.scaleX) / mx - Math.abs(p.scaleY) / my) > 0.005)) {
      return 'it turns while its width and height scale differently';
    }
  }
  const tooBig = maxOf(placements.map((p) => Math.max(Math.abs(p.scaleX), Math.abs(p.scaleY))));
  const boxShare = Math.max(layer.boxPx.width / canvas.width, layer.boxPx.height / canvas.height);
  if (tooBig * boxShare > MAX_SCALE_OF_CANVAS) return `it grows past ${MAX_SCALE_OF_CANVAS} canvases`;
  return null;
}

/** The frame with the largest picture: neutral tiles are drawn there so no frame shows them enlarged. */
const referenceFrame = (placements: Placement[]): number => {
  let best = 0;
  placements.forEach((p, i) => {
    if (Math.abs(p.scaleX * p.scaleY) > Math.abs(placements[best].scaleX * placements[best].scaleY)) best = i;
  });
  return best;
};

/** The layer as a neutral tile draws it: fixed at a placement, opaque, without pose effects. */
const neutralised = (layer: VisualLayer, ref: Placement): VisualLayer => ({
  ...layer,
  geometry: {
    centerXPx: constantTrack(ref.centerXPx),
    centerYPx: constantTrack(ref.centerYPx),
    scaleX: constantTrack(Math.abs(ref.scaleX)),
    scaleY: constantTrack(Math.abs(ref.scaleY)),
    rotationDeg: constantTrack(0),
    opacity: constantTrack(1),
    flipX: ref.scaleX < 0,
    flipY: ref.scaleY < 0,
  },
  animations: undefined,
  transitionIn: undefined,
  transitionOut: undefined,
});

/** Where a file's picture sits around the layer's centre (pictureRect: all of its box, or contain-fitted). */
function fileExtent(layer: VisualLayer, timeline: Timeline): Extent | null {
  const media = 'mediaId' in layer ? timeline.media[layer.mediaId] : undefined;
  const rect = pictureRect(layer, media);
  if (!rect) return null;
  const left = rect.left - layer.boxPx.width / 2;
  const top = rect.top - layer.boxPx.height / 2;
  return { left, right: left + rect.width, top, bottom: top + rect.height };
}

const even = (n: number, round: (x: number) => number) => 2 * round(n / 2);

/** Even, whole-pixel rectangle holding [x0, x1) × [y0, y1), cut to `clip` when given. */
function evenRect(x0: number, y0: number, x1: number, y1: number, clip?: Canvas): Rect {
  let left = even(x0, Math.floor);
  let top = even(y0, Math.floor);
  let right = even(x1, Math.ceil);
  let bottom = even(y1, Math.ceil);
  if (clip) {
    left = Math.max(0, left);
    top = Math.max(0, top);
    right = Math.min(even(clip.width, Math.ceil), right);
    bottom = Math.min(even(clip.height, Math.ceil), bottom);
  }
  return { x: left, y: top, width: Math.max(2, right - left), height: Math.max(2, bottom - top) };
}

/** How far a tile's content may reach around the layer's centre when drawn neutral (unscaled). */
function contentSize(layer: VisualLayer): { width: number; height: number } {
  return layer.kind === 'text' ? textExtentBound(layer.text) : layer.boxPx;
}

/**
 * The canvas region a layer can cover on a posed frame: its box moved, scaled and turned by its
 * pose and its transitions (their blur spreading it), cut to the canvas.
 */
function posedWindow(layer: VisualLayer, frames: readonly number[], canvas: Canvas): Rect {
  const size = contentSize(layer);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const f of frames) {
    const pose = layerPoseAt(layer, f);
    const effects = layerTransitionEffects(layer, f, canvas);
    let cx = pose.centerXPx;
    let cy = pose.centerYPx;
    let sx = Math.abs(pose.scaleX);
    let sy = Math.abs(pose.scaleY);
    let rot = pose.rotationDeg;
    let spread = 3 * pose.blurPx;
    for (const e of [effects.in, effects.out]) {
      const ox = e.originX * canvas.width;
      const oy = e.originY * canvas.height;
      const dx = e.scaleX * (cx - ox);
      const dy = e.scaleY * (cy - oy);
      const a = (e.rotateDeg * Math.PI) / 180;
      cx = ox + e.translateXPx + dx * Math.cos(a) - dy * Math.sin(a);
      cy = oy + e.translateYPx + dx * Math.sin(a) + dy * Math.cos(a);
      const grow = Math.max(Math.abs(e.scaleX), Math.abs(e.scaleY));
      sx *= grow;
      sy *= grow;
      rot += e.rotateDeg;
      spread = spread * grow + 3 * e.blurPx;
    }
    const a = (rot * Math.PI) / 180;
    const hw = (size.width * sx) / 2;
    const hh = (size.height * sy) / 2;
    const ex = Math.abs(hw * Math.cos(a)) + Math.abs(hh * Math.sin(a)) + spread + 2;
    const ey = Math.abs(hw * Math.sin(a)) + Math.abs(hh * Math.cos(a)) + spread + 2;
    x0 = Math.min(x0, cx - ex);
    y0 = Math.min(y0, cy - ey);
    x1 = Math.max(x1, cx + ex);
    y1 = Math.max(y1, cy + ey);
  }
  const rect = evenRect(x0, y0, x1, y1, canvas);
  return rect.width > 2 && rect.height > 2 ? rect : { x: 0, y: 0, width: even(canvas.width, Math.ceil), height: even(canvas.height, Math.ceil) };
}

/** What the layer's content looks like on a frame, as a key: equal keys draw equal tiles. */
function contentKey(layer: VisualLayer, frame: number, timeline: Timeline): string {
  const parts: string[] = [];
  for (const f of layer.filters ?? []) if (!isConstant(f.amount)) parts.push(valueAt(f.amount, frame).toFixed(6));
  switch (layer.kind) {
    case 'text':
      if (layer.reveal) parts.push(revealPieces(layer.text.runs, layer.reveal, frame).map((p) => `${p.text.length}:${p.opacity.toFixed(3)}`).join('|'));
      for (const run of layer.text.runs) if (run.highlight) parts.push(highlightProgress(run, frame).toFixed(6));
      break;
    case 'gif': {
      const delays = timeline.media[layer.mediaId]?.gifFrameDelaysMs;
      parts.push(delays ? String(gifFrameAt(delays, frame, timeline.fps)) : `f${frame}`);
      break;
    }
    case 'video':
      parts.push(`f${frame}`);
      break;
    case 'image':
      break;
  }
  return parts.join('/');
}

/** Why the browser must draw the layer's content (neutral tiles), or null when ffmpeg reads its file. */
function contentReason(layer: VisualLayer, timeline: Timeline): string | null {
  const media = 'mediaId' in layer ? timeline.media[layer.mediaId] : undefined;
  const filters = layer.filters && layer.filters.length > 0;
  switch (layer.kind) {
    case 'text':
      if (layer.text.runs.some((r) => r.highlight)) return 'karaoke text';
      return layer.reveal ? 'text typed in' : 'text';
    case 'gif':
      if (!media?.src) return 'missing media';
      if (filters) return 'picture adjustments on a GIF';
      if (layer.mask) return 'a mask on a GIF';
      // Without its delays (not a GIF this parser can walk) the browser plays it.
      return media.gifFrameDelaysMs ? null : 'a GIF';
    case 'image':
      if (!media?.src) return 'missing media';
      if (filters) return 'picture adjustments';
      if (layer.mask) return 'a mask';
      if (!pictureRect(layer, media)) return 'a picture of unknown size';
      return null;
    case 'video':
      if (!media?.src) return 'missing media';
      if (filters) return 'picture adjustments on a video';
      // Remotion maps HDR (PQ, HLG) to SDR; the graph would only change its matrix.
      if (media.color?.hdr) return 'an HDR video';
      return null;
  }
}

/** Runs of frames [from, to) where `test` gives the same answer. */
function runsOf<T>(from: number, to: number, key: (f: number) => T): { from: number; to: number; key: T }[] {
  const runs: { from: number; to: number; key: T }[] = [];
  for (let f = from; f < to; f++) {
    const k = key(f);
    const last = runs[runs.length - 1];
    if (last && last.key === k) last.to = f + 1;
    else runs.push({ from: f, to: f + 1, key: k });
  }
  return runs;
}

/**
 * Runs of layer frames over which a layer's content stays the same: one run, except for text
 * revealed character by character, karaoke text, GIFs, videos and key-framed adjustments.
 */
export function contentRuns(layer: VisualLayer, timeline: Timeline, from = 0, to = layer.durationFrames): { from: number; to: number }[] {
  return runsOf(from, to, (f) => contentKey(layer, f, timeline)).map(({ from: a, to: b }) => ({ from: a, to: b }));
}

interface Builder {
  timeline: Timeline;
  canvas: Canvas;
  pictures: PlannedPicture[];
  drawings: Drawing[];
}

const addDrawing = (b: Builder, d: Omit<Drawing, 'id'>): number => {
  b.drawings.push({ ...d, id: `d${b.drawings.length}` });
  return b.drawings.length - 1;
};

/** The browser draws frames [a, b) of the layer as the video does, one tile a frame. */
function posedPictures(b: Builder, layer: VisualLayer, a: number, end: number, why: string): void {
  const frames = Array.from({ length: end - a }, (_, i) => a + i);
  const window = posedWindow(layer, frames, b.canvas);
  const drawing = addDrawing(b, { layerId: layer.id, kind: layer.kind, why, mode: 'posed', layer, window, states: frames, checkEdges: false, trim: frames.length === 1 });
  b.pictures.push(fixedDrawnPicture(`${layer.id}@${a}`, layer.fromFrame + a, drawing, window, frames.length));
}

/** A drawing laid where its window is, one state per frame. */
function fixedDrawnPicture(id: string, fromFrame: number, drawing: number, window: Rect, durationFrames: number): PlannedPicture {
  return {
    id,
    fromFrame,
    durationFrames,
    source: { kind: 'drawn', drawing, runs: Array.from({ length: durationFrames }, (_, i) => ({ state: i, from: i })) },
    extent: { left: window.x, right: window.x + window.width, top: window.y, bottom: window.y + window.height },
    reference: IDENTITY,
    placements: Array.from({ length: durationFrames }, () => IDENTITY),
  };
}

/** Frames [a, end) of a layer ffmpeg places (`placements` indexed from a). */
function placedPictures(b: Builder, layer: VisualLayer, a: number, end: number, placements: Placement[]): void {
  const { timeline, canvas } = b;
  if (placements.every(invisible)) return;
  const base = { id: a === 0 ? layer.id : `${layer.id}@${a}`, fromFrame: layer.fromFrame + a, durationFrames: end - a, placements };
  const media = 'mediaId' in layer ? timeline.media[layer.mediaId] : undefined;
  const why = contentReason(layer, timeline);
  if (!why && media?.src) {
    const extent = fileExtent(layer, timeline)!;
    if (layer.kind === 'image') {
      b.pictures.push({ ...base, source: { kind: 'image', path: media.src, crop: layer.crop }, extent, reference: IDENTITY });
      return;
    }
    if (layer.kind === 'gif') {
      const source: PictureSource = { kind: 'gif', path: media.src, crop: layer.crop, delaysMs: media.gifFrameDelaysMs!, layerFrame: a };
      b.pictures.push({ ...base, source, extent, reference: IDENTITY });
      return;
    }
    if (layer.kind === 'video') {
      const clock: SourceClock = {
        sourceStartSec: layer.sourceStartSec,
        playbackRate: layer.playbackRate,
        freezeBeforeFrame: layer.freezeBeforeFrame,
        holdFromFrame: layer.holdFromFrame,
        ...(layer.speedCurve ? { speedCurve: layer.speedCurve } : {}),
      };
      let mask: number | undefined;
      if (layer.mask) {
        // The mask alone, in box pixels: white through the mask on a transparent box.
        const { width, height } = layer.boxPx;
        const boxed = neutralised(layer, { ...IDENTITY, centerXPx: width / 2, centerYPx: height / 2 });
        mask = addDrawing(b, {
          layerId: layer.id,
          kind: layer.kind,
          why: 'a mask (drawn once; the video plays through it)',
          mode: 'mask',
          layer: { ...boxed, geometry: { ...boxed.geometry, flipX: false, flipY: false } },
          window: { x: 0, y: 0, width: Math.max(1, Math.round(width)), height: Math.max(1, Math.round(height)) },
          states: [0],
          checkEdges: false,
          trim: false,
        });
      }
      const source: PictureSource = {
        kind: 'video',
        path: media.src,
        crop: layer.crop,
        video: shiftClock(clock, a, timeline.fps),
        ...(media.color ? { color: media.color } : {}),
        ...(mask !== undefined ? { mask } : {}),
      };
      b.pictures.push({ ...base, source, extent, reference: IDENTITY });
      return;
    }
  }
  // The content from the browser at one reference placement, once per state.
  const reference = placements[referenceFrame(placements)];
  const drawn = neutralised(layer, reference);
  const size = contentSize(layer);
  // Text's size is an upper bound: at most a canvas (its tiles' edges are checked once drawn).
  const cap = (v: number, max: number) => (layer.kind === 'text' ? Math.min(v, max - 2) : v);
  const w = cap(size.width * Math.abs(reference.scaleX), canvas.width);
  const h = cap(size.height * Math.abs(reference.scaleY), canvas.height);
  // Even corners: overlay places 4:2:0 pictures on even pixels, so where the layer stands at its
  // reference placement the tile lands exactly where the browser drew it.
  const left = even(reference.centerXPx - w / 2 + 1e-6, Math.floor);
  const top = even(reference.centerYPx - h / 2 + 1e-6, Math.floor);
  const window = {
    x: left,
    y: top,
    width: Math.max(1, Math.ceil(reference.centerXPx + w / 2 - 1e-6) - left),
    height: Math.max(1, Math.ceil(reference.centerYPx + h / 2 - 1e-6) - top),
  };
  if (window.width > canvas.width || window.height > canvas.height) {
    // A tile holds at most a canvas: drawn as the video draws it instead.
    posedPictures(b, layer, a, end, `${why ?? 'a picture'} larger than the canvas`);
    return;
  }
  const runs = contentRuns(layer, timeline, a, end);
  const drawing = addDrawing(b, {
    layerId: layer.id,
    kind: layer.kind,
    why: why ?? 'a picture',
    mode: 'neutral',
    layer: drawn,
    window,
    states: runs.map((r) => r.from),
    checkEdges: layer.kind === 'text',
    trim: runs.length === 1,
  });
  b.pictures.push({
    ...base,
    source: { kind: 'drawn', drawing, runs: runs.map((r, i) => ({ state: i, from: r.from - a })) },
    extent: {
      left: window.x - reference.centerXPx,
      right: window.x + window.width - reference.centerXPx,
      top: window.y - reference.centerYPx,
      bottom: window.y + window.height - reference.centerYPx,
    },
    reference,
  });
}

function layerPictures(b: Builder, layer: VisualLayer): void {
  const looks = Array.from({ length: layer.durationFrames }, (_, f) => placementAt(layer, f, b.canvas));
  const placed = looks.filter((l): l is Placement => typeof l !== 'string');
  const whole = wholeLayerReason(layer, placed, b.canvas);
  if (whole) {
    posedPictures(b, layer, 0, layer.durationFrames, whole);
    return;
  }
  // Frames ffmpeg places, and frames the browser draws posed, in runs.
  for (const run of runsOf(0, layer.durationFrames, (f) => (typeof looks[f] === 'string' ? (looks[f] as string) : ''))) {
    if (run.key) posedPictures(b, layer, run.from, run.to, run.key);
    else placedPictures(b, layer, run.from, run.to, looks.slice(run.from, run.to) as Placement[]);
  }
}

function backgroundPicture(b: Builder, bg: Background): void {
  const { canvas, timeline } = b;
  const centre = { ...IDENTITY, centerXPx: canvas.width / 2, centerYPx: canvas.height / 2 };
  const full: Extent = { left: -canvas.width / 2, right: canvas.width / 2, top: -canvas.height / 2, bottom: canvas.height / 2 };
  const base = { id: `background-${bg.segmentId}`, fromFrame: bg.fromFrame, durationFrames: bg.durationFrames, extent: full, reference: centre };
  const placements = () => Array.from({ length: bg.durationFrames }, () => centre);
  if (bg.kind === 'color' && bg.color) {
    b.pictures.push({ ...base, source: { kind: 'color', color: bg.color }, placements: placements() });
    return;
  }
  const media = bg.mediaId ? timeline.media[bg.mediaId] : undefined;
  if (bg.kind === 'blur' && bg.boxPx && bg.blurPx && media?.src && !media.color?.hdr && media.kind !== 'gif') {
    // BackgroundView: the cover-fitted picture, scaled about the centre so the blur's rim falls outside.
    const scale = blurEdgeScale(bg.blurPx, canvas);
    const blur: CanvasBlur = { sigmaPx: bg.blurPx, widthPx: bg.boxPx.width * scale, heightPx: bg.boxPx.height * scale };
    const source: PictureSource =
      media.kind === 'video'
        ? {
            kind: 'video',
            path: media.src,
            crop: bg.crop,
            video: { sourceStartSec: bg.sourceStartSec ?? 0, playbackRate: bg.playbackRate ?? 1, ...(bg.speedCurve ? { speedCurve: bg.speedCurve } : {}) },
            ...(media.color ? { color: media.color } : {}),
            blur,
          }
        : { kind: 'image', path: media.src, crop: bg.crop, blur };
    b.pictures.push({ ...base, source, placements: placements() });
    return;
  }
  if (!media?.src) return;
  // Drawn as the video draws it: once, or every frame for a moving picture.
  const moving = media.kind === 'video' || media.kind === 'gif';
  const states = moving ? Array.from({ length: bg.durationFrames }, (_, f) => f) : [0];
  const window = { x: 0, y: 0, width: even(canvas.width, Math.ceil), height: even(canvas.height, Math.ceil) };
  const why = bg.kind === 'blur' ? 'a blurred canvas background' : 'a picture canvas background';
  const drawing = addDrawing(b, { layerId: bg.segmentId, kind: 'background', why, mode: 'posed', background: bg, window, states, checkEdges: false, trim: false });
  const picture = fixedDrawnPicture(base.id, bg.fromFrame, drawing, window, bg.durationFrames);
  if (!moving) picture.source = { kind: 'drawn', drawing, runs: [{ state: 0, from: 0 }] };
  b.pictures.push(picture);
}

function flashPicture(layer: VisualLayer, canvas: Canvas): PlannedPicture | null {
  const first = flashAt(layer, 0);
  if (!first) return null;
  const centre = { ...IDENTITY, centerXPx: canvas.width / 2, centerYPx: canvas.height / 2 };
  return {
    id: `flash-${layer.id}`,
    fromFrame: layer.fromFrame,
    durationFrames: layer.durationFrames,
    source: { kind: 'color', color: first.color },
    extent: { left: -canvas.width / 2, right: canvas.width / 2, top: -canvas.height / 2, bottom: canvas.height / 2 },
    reference: centre,
    placements: Array.from({ length: layer.durationFrames }, (_, f) => ({ ...centre, opacity: flashAt(layer, f)?.opacity ?? 0 })),
  };
}

/**
 * The timeline's sound as a plan without pictures: ffmpeg mixes it for either engine, so every
 * render (and every farm of chunks) has one mix, made one way.
 */
export function planSound(timeline: Timeline): CompositorPlan {
  const audio = timeline.audio.flatMap((clip) => {
    const media = timeline.media[clip.mediaId];
    return media?.src && media.hasAudio !== false ? [{ clip, path: media.src }] : [];
  });
  const canvas = { width: timeline.widthPx, height: timeline.heightPx };
  return { canvas, fps: timeline.fps, durationFrames: timeline.durationFrames, pictures: [], drawings: [], atlas: layoutAtlas([], canvas), audio };
}

/** Which layers the browser draws and why, one line per layer and reason. */
export function browserDrawn(plan: Pick<CompositorPlan, 'drawings'>): BrowserDrawn[] {
  const out = new Map<string, BrowserDrawn>();
  for (const d of plan.drawings) {
    const key = `${d.layerId}\u0000${d.why}`;
    const seen = out.get(key);
    if (seen) seen.tiles += d.states.length;
    else out.set(key, { layerId: d.layerId, kind: d.kind, why: d.why, tiles: d.states.length });
  }
  return [...out.values()];
}

/** One line for logs: `the browser drew text ×5, a GIF (segment-3, 40 tiles), …` (nothing: an empty string). */
export function describeBrowserDrawn(drawn: readonly BrowserDrawn[]): string {
  const byWhy = new Map<string, { layers: string[]; tiles: number }>();
  for (const d of drawn) {
    const g = byWhy.get(d.why) ?? { layers: [], tiles: 0 };
    g.layers.push(d.layerId);
    g.tiles += d.tiles;
    byWhy.set(d.why, g);
  }
  return [...byWhy]
    .map(([why, g]) => `${why} (${g.layers.length > 3 ? `${g.layers.length} layers` : g.layers.join(', ')}; ${g.tiles} tile${g.tiles === 1 ? '' : 's'})`)
    .join(', ');
}

/** The compositor's plan for a timeline whose media are local files, or why it has none. */
export function planComposite(timeline: Timeline): CompositorPlan | { unsupported: string } {
  try {
    if (!Number.isInteger(timeline.fps)) fail(`a frame rate of ${timeline.fps}`);
    const canvas = { width: timeline.widthPx, height: timeline.heightPx };
    const b: Builder = { timeline, canvas, pictures: [], drawings: [] };
    for (const bg of timeline.backgrounds ?? []) backgroundPicture(b, bg);
    for (const layer of timeline.layers) {
      layerPictures(b, layer);
      const flash = flashPicture(layer, canvas);
      if (flash) b.pictures.push(flash);
    }
    return { ...planSound(timeline), pictures: b.pictures, drawings: b.drawings, atlas: layoutAtlas(b.drawings, canvas) };
  } catch (err) {
    if (err instanceof Unsupported) return { unsupported: err.message };
    throw err;
  }
}
