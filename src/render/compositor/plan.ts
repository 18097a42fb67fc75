/**
 * Decides whether the ffmpeg compositor can draw a timeline, and how: every layer becomes a
 * picture (a media file, a still the browser draws once, or a colour) with a placement per
 * frame. A timeline it cannot draw exactly comes back as the reason, and Remotion draws it.
 */
import { constantTrack, isConstant } from '../../timeline/track';
import type { AudioClip, Background, CropRect, SourceClock, Timeline, VideoColor, VisualLayer } from '../../timeline/types';
import { flashAt, pictureRect, placementAt, revealPieces, type Canvas, type Placement } from '../../timeline/picture';
import { maxOf } from '../../timeline/numbers';

export type PictureSource =
  | { kind: 'image'; path: string; crop?: CropRect }
  | {
      kind: 'video';
      path: string;
      crop?: CropRect;
      video: SourceClock;
      /** How its YUV is read (absent: as ffmpeg reads the file). */
      color?: VideoColor;
    }
  /** `stills[index]`: the layer drawn by the browser once, at its reference placement. */
  | { kind: 'still'; index: number }
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
  /** Known now for files and colours; for stills once they are drawn (their visible part). */
  extent?: Extent;
  reference: Placement;
  /** One per frame of the picture. */
  placements: Placement[];
  /** A chunk of a longer picture: the whole picture's placements, so every chunk scales it alike. */
  wholePlacements?: Placement[];
}

export interface PlannedStill {
  layer: VisualLayer;
  /** Layer-relative frame whose content is drawn (a typewriter's text changes; a caption's does not). */
  frame: number;
}

/** A typewriter caption becomes one still per state of its text; more states than this go to Remotion. */
const MAX_STILLS_PER_LAYER = 60;

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
  /** What the browser draws once each: a layer neutralised to its reference placement, at a layer frame. */
  stills: PlannedStill[];
  audio: PlannedAudio[];
}

/** Pictures larger than this many canvases across are left to the browser (ffmpeg would scale them per frame). */
const MAX_SCALE_OF_CANVAS = 4;

const IDENTITY: Placement = { centerXPx: 0, centerYPx: 0, scaleX: 1, scaleY: 1, rotationDeg: 0, opacity: 1 };

class Unsupported extends Error {}

const fail = (what: string): never => {
  throw new Unsupported(what);
};

const constantFilters = (layer: VisualLayer) => (layer.filters ?? []).every((f) => isConstant(f.amount));

/** A layer's content changes over time (besides moving), so one still cannot stand for it. */
const animatedContent = (layer: VisualLayer): string | null => {
  if (layer.kind === 'gif') return 'a GIF';
  if (!constantFilters(layer)) return 'key-framed picture adjustments';
  if (layer.kind === 'text' && layer.text.runs.some((r) => r.highlight)) return 'karaoke highlighting';
  return null;
};

function placementsOf(layer: VisualLayer, canvas: Canvas): Placement[] {
  const out: Placement[] = [];
  for (let f = 0; f < layer.durationFrames; f++) {
    const p = placementAt(layer, f, canvas);
    if (typeof p === 'string') fail(`${layer.kind} ${layer.id} uses ${p}`);
    else out.push(p);
  }
  const flipX = Math.sign(out[0]?.scaleX ?? 1);
  const flipY = Math.sign(out[0]?.scaleY ?? 1);
  if (out.some((p) => (p.scaleX !== 0 && Math.sign(p.scaleX) !== flipX) || (p.scaleY !== 0 && Math.sign(p.scaleY) !== flipY))) {
    fail(`${layer.kind} ${layer.id} flips while it plays`);
  }
  if (out.some((p) => Math.abs(p.rotationDeg % 360) > 1e-9)) {
    // Turned pictures are turned at their largest size, then scaled alike in both directions.
    const mx = maxOf(out.map((p) => Math.abs(p.scaleX)));
    const my = maxOf(out.map((p) => Math.abs(p.scaleY)));
    if (out.some((p) => Math.abs(Math.abs(p.scaleX) / mx - Math.abs(p.scaleY) / my) > 0.005)) {
      fail(`${layer.kind} ${layer.id} turns while its width and height scale differently`);
    }
  }
  const tooBig = maxOf(out.map((p) => Math.max(Math.abs(p.scaleX), Math.abs(p.scaleY))));
  const boxShare = Math.max(layer.boxPx.width / canvas.width, layer.boxPx.height / canvas.height);
  if (tooBig * boxShare > MAX_SCALE_OF_CANVAS) fail(`${layer.kind} ${layer.id} grows past ${MAX_SCALE_OF_CANVAS} canvases`);
  return out;
}

/** The frame with the largest picture: the still is drawn there so no frame shows it enlarged. */
const referenceFrame = (placements: Placement[]): number => {
  let best = 0;
  placements.forEach((p, i) => {
    if (Math.abs(p.scaleX * p.scaleY) > Math.abs(placements[best].scaleX * placements[best].scaleY)) best = i;
  });
  return best;
};

/** The layer as the still draws it: fixed at its reference placement, opaque, without effects. */
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
function fileExtent(layer: VisualLayer, timeline: Timeline): Extent {
  const media = 'mediaId' in layer ? timeline.media[layer.mediaId] : undefined;
  const rect = pictureRect(layer, media);
  if (!rect) return fail(`image ${layer.id} has no known size to fit`);
  const left = rect.left - layer.boxPx.width / 2;
  const top = rect.top - layer.boxPx.height / 2;
  return { left, right: left + rect.width, top, bottom: top + rect.height };
}

function backgroundPicture(b: Background, canvas: Canvas): PlannedPicture {
  if (b.kind !== 'color' || !b.color) fail(`a ${b.kind} canvas background`);
  const centre = { ...IDENTITY, centerXPx: canvas.width / 2, centerYPx: canvas.height / 2 };
  return {
    id: `background-${b.segmentId}`,
    fromFrame: b.fromFrame,
    durationFrames: b.durationFrames,
    source: { kind: 'color', color: b.color! },
    extent: { left: -canvas.width / 2, right: canvas.width / 2, top: -canvas.height / 2, bottom: canvas.height / 2 },
    reference: centre,
    placements: Array.from({ length: b.durationFrames }, () => centre),
  };
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
 * Runs of layer frames over which a layer's content stays the same: one run, except for text
 * revealed character by character (打字机, 逐字显示), whose text changes while it appears.
 */
export function contentRuns(layer: VisualLayer): { from: number; to: number }[] {
  if (layer.kind !== 'text' || !layer.reveal) return [{ from: 0, to: layer.durationFrames }];
  const runs: { from: number; to: number; key: string }[] = [];
  for (let f = 0; f < layer.durationFrames; f++) {
    const key = revealPieces(layer.text.runs, layer.reveal, f)
      .map((piece) => `${piece.text.length}:${piece.opacity.toFixed(3)}`)
      .join('|');
    const last = runs[runs.length - 1];
    if (last && last.key === key) last.to = f + 1;
    else runs.push({ from: f, to: f + 1, key });
  }
  return runs.map(({ from, to }) => ({ from, to }));
}

function layerPictures(layer: VisualLayer, timeline: Timeline, stills: PlannedStill[]): PlannedPicture[] {
  const canvas = { width: timeline.widthPx, height: timeline.heightPx };
  const why = animatedContent(layer);
  if (why) fail(`${layer.kind} ${layer.id} is ${why}`);
  const placements = placementsOf(layer, canvas);
  if (placements.every((p) => p.opacity <= 0 || p.scaleX === 0 || p.scaleY === 0)) return [];
  const base = { id: layer.id, fromFrame: layer.fromFrame, durationFrames: layer.durationFrames, placements };
  const media = 'mediaId' in layer ? timeline.media[layer.mediaId] : undefined;
  const hasEffects = Boolean(layer.mask || (layer.filters && layer.filters.length > 0));

  if (layer.kind === 'video' && media?.src) {
    if (hasEffects) fail(`video ${layer.id} has a mask or picture adjustments`);
    // Remotion maps HDR (PQ, HLG) to SDR; the graph would only change its matrix.
    if (media.color?.hdr) fail(`video ${layer.id} is HDR`);
    const video: SourceClock = {
      sourceStartSec: layer.sourceStartSec,
      playbackRate: layer.playbackRate,
      freezeBeforeFrame: layer.freezeBeforeFrame,
      holdFromFrame: layer.holdFromFrame,
      ...(layer.speedCurve ? { speedCurve: layer.speedCurve } : {}),
    };
    const source: PictureSource = { kind: 'video', path: media.src, crop: layer.crop, video, ...(media.color ? { color: media.color } : {}) };
    return [{ ...base, source, extent: fileExtent(layer, timeline), reference: IDENTITY }];
  }
  if (layer.kind === 'image' && media?.src && !hasEffects) {
    return [{ ...base, source: { kind: 'image', path: media.src, crop: layer.crop }, extent: fileExtent(layer, timeline), reference: IDENTITY }];
  }
  // Text, masked or adjusted pictures, missing media: the browser draws the layer once, or once
  // per state of a revealed text, each shown over its frames.
  const reference = placements[referenceFrame(placements)];
  const still = neutralised(layer, reference);
  const runs = contentRuns(layer);
  if (runs.length > MAX_STILLS_PER_LAYER) fail(`text ${layer.id} changes on ${runs.length} frames while it appears`);
  return runs.map(({ from, to }) => {
    stills.push({ layer: still, frame: from });
    return {
      ...base,
      id: runs.length > 1 ? `${layer.id}@${from}` : layer.id,
      fromFrame: layer.fromFrame + from,
      durationFrames: to - from,
      placements: placements.slice(from, to),
      ...(runs.length > 1 ? { wholePlacements: placements } : {}),
      source: { kind: 'still', index: stills.length - 1 },
      reference,
    };
  });
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
  return {
    canvas: { width: timeline.widthPx, height: timeline.heightPx },
    fps: timeline.fps,
    durationFrames: timeline.durationFrames,
    pictures: [],
    stills: [],
    audio,
  };
}

/** The compositor's plan for a timeline whose media are local files, or why it has none. */
export function planComposite(timeline: Timeline): CompositorPlan | { unsupported: string } {
  try {
    if (!Number.isInteger(timeline.fps)) fail(`a frame rate of ${timeline.fps}`);
    const canvas = { width: timeline.widthPx, height: timeline.heightPx };
    const pictures: PlannedPicture[] = (timeline.backgrounds ?? []).map((b) => backgroundPicture(b, canvas));
    const stills: PlannedStill[] = [];
    for (const layer of timeline.layers) {
      pictures.push(...layerPictures(layer, timeline, stills));
      const flash = flashPicture(layer, canvas);
      if (flash) pictures.push(flash);
    }
    return { ...planSound(timeline), pictures, stills };
  } catch (err) {
    if (err instanceof Unsupported) return { unsupported: err.message };
    throw err;
  }
}
