/**
 * The engine-neutral timeline: what to draw and play, in frames and pixels, with every JianYing
 * rule already applied. The composition only draws what this says; another engine could too.
 *
 * Conventions:
 * - Absolute frames count from the start of the video. Frames inside a layer (`Track.frames`,
 *   transition windows) count from that layer's `fromFrame`.
 * - Pixels are canvas pixels, origin top-left, y down.
 * - The whole object is plain JSON (it travels as Remotion input props).
 */

/** A number over time: sorted, de-duplicated key frames (layer-relative), linear between, held outside. */
export interface Track {
  frames: number[];
  values: number[];
}

export interface TimelineWarning {
  /** The draft segment (or material) concerned, when there is one. */
  segmentId?: string;
  /** Stable machine-readable code, e.g. `fps-missing`, `transition-approximated`. */
  code: string;
  message: string;
}

export type MediaKind = 'video' | 'photo' | 'gif' | 'audio';

/** A material the layers point at. `src` is filled once the file is local (see src/materials). */
export interface MediaRef {
  /** The draft's material id. */
  id: string;
  kind: MediaKind;
  /** Human name for messages (material_name / name / file name). */
  name: string;
  /** Where the file can be had, best first: remote_url, http(s) path, then local/draft-relative paths. */
  candidates: string[];
  /** Resolved location handed to the engine: a local file path after download, or a URL for the engine. */
  src?: string;
  widthPx?: number;
  heightPx?: number;
  hasAudio?: boolean;
}

export interface Geometry {
  /** Layer centre on the canvas. */
  centerXPx: Track;
  centerYPx: Track;
  /** Multiplies `boxPx` (clip.scale × keyframes). */
  scaleX: Track;
  scaleY: Track;
  /** Degrees, clockwise, about the centre. */
  rotationDeg: Track;
  /** 0..1. */
  opacity: Track;
  flipX: boolean;
  flipY: boolean;
}

/** An effect between two adjacent segments of one track; the window is centred on the cut. */
export interface TransitionEffect {
  /** JianYing's name (e.g. 叠化), kept for reports. */
  name: string;
  /** What the engine draws. Spine: every name is a cross-fade; the fidelity work maps names. */
  kind: 'crossfade';
  /** Layer-relative frame where the window starts (0 for `in`, durationFrames − window for `out`). */
  startFrame: number;
  durationFrames: number;
}

interface LayerBase {
  /** Draft segment id. */
  id: string;
  /** First frame drawn (absolute), including any transition lead-in. */
  fromFrame: number;
  durationFrames: number;
  /** Size of the fitted (contain) box before `geometry.scale*`. */
  boxPx: { width: number; height: number };
  geometry: Geometry;
  /** This layer fades/moves in as the incoming side of a transition. */
  transitionIn?: TransitionEffect;
  /** This layer is the outgoing side of a transition (drawn under the incoming one). */
  transitionOut?: TransitionEffect;
}

export interface VideoLayer extends LayerBase {
  kind: 'video';
  mediaId: string;
  /** Source time (seconds) shown at the layer's first frame. */
  sourceStartSec: number;
  /** Source seconds per output second (segment speed). */
  playbackRate: number;
}

export interface ImageLayer extends LayerBase {
  kind: 'image';
  mediaId: string;
}

export interface GifLayer extends LayerBase {
  kind: 'gif';
  mediaId: string;
}

export interface TextStroke {
  color: string;
  widthPx: number;
}

export interface TextShadow {
  color: string;
  offsetXPx: number;
  offsetYPx: number;
  blurPx: number;
}

/** A run of text with one style. Colours are CSS colours (`rgba(...)` / `#rrggbb`). */
export interface TextRun {
  text: string;
  fontFamily: string;
  fontWeight: number;
  fontSizePx: number;
  italic: boolean;
  underline: boolean;
  color: string;
  stroke?: TextStroke;
}

export interface TextBlock {
  runs: TextRun[];
  align: 'left' | 'center' | 'right';
  /** Lines wrap at this width (line_max_width × canvas width). */
  maxWidthPx: number;
  /** CSS line-height multiplier. */
  lineHeight: number;
  letterSpacingPx: number;
  vertical: boolean;
  shadow?: TextShadow;
  background?: { color: string; paddingPx: number; radiusPx: number };
}

export interface TextLayer extends LayerBase {
  kind: 'text';
  text: TextBlock;
}

export type VisualLayer = VideoLayer | ImageLayer | GifLayer | TextLayer;

export interface AudioClip {
  /** Draft segment id (a video segment's id for its own sound). */
  id: string;
  mediaId: string;
  fromFrame: number;
  durationFrames: number;
  sourceStartSec: number;
  playbackRate: number;
  /** Linear gain over time (layer-relative frames): volume × keyframes × fades. */
  gain: Track;
}

export interface Timeline {
  widthPx: number;
  heightPx: number;
  fps: number;
  durationFrames: number;
  /** Back to front. */
  layers: VisualLayer[];
  audio: AudioClip[];
  media: Record<string, MediaRef>;
  warnings: TimelineWarning[];
}
