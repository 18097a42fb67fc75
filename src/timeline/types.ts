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

import type { LayerAnimation, TextReveal, TransitionKind, TransitionParams } from './effect-types';

export type {
  AnimationEasing,
  AnimationFamily,
  AnimationPose,
  Direction,
  LayerAnimation,
  LoopWave,
  TextReveal,
  TransitionKind,
  TransitionParams,
} from './effect-types';

/**
 * The cubic Bézier of a curved stretch between two key frames (JianYing's curved key frames,
 * keyframes.ts), as CSS's cubic-bezier(): its inner control points, x as a share (0..1) of the
 * stretch's frames, y as values (not shares: a curve may overshoot between equal values).
 */
export interface TrackCurve {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * A number over time: sorted, de-duplicated key frames (layer-relative), held outside; straight
 * between two key frames unless `curves[i]` shapes the stretch frames[i] → frames[i + 1].
 */
export interface Track {
  frames: number[];
  values: number[];
  /** One per stretch (frames.length − 1); absent or null: a straight line. */
  curves?: (TrackCurve | null)[];
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
  /** The http(s) URL `src` was downloaded from (none for local files and operator stand-ins). */
  sourceUrl?: string;
  widthPx?: number;
  heightPx?: number;
  hasAudio?: boolean;
  /** Video files: how their YUV is to be read (materials/color-tags.ts), known once probed. */
  color?: VideoColor;
  /** GIFs: each image's delay in ms as the GIF player reads it (materials/gif.ts), known once downloaded. */
  gifFrameDelaysMs?: number[];
}

/**
 * A video's YUV matrix and range: its own tags; untagged is BT.601 (ffmpeg's convention), limited
 * range unless the pixel format says full. `hdr`: a PQ or HLG transfer.
 */
export interface VideoColor {
  matrix: 'bt709' | 'bt601' | 'bt2020' | 'smpte240m' | 'fcc';
  range: 'tv' | 'pc';
  hdr?: boolean;
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
  /** What the engine draws (JianYing names mapped in transition-names.ts). */
  kind: TransitionKind;
  direction?: TransitionParams['direction'];
  axis?: TransitionParams['axis'];
  clockwise?: TransitionParams['clockwise'];
  /** Layer-relative frame where the window starts (0 for `in`, durationFrames − window for `out`). */
  startFrame: number;
  durationFrames: number;
}

/** The part of a source picture shown, as fractions of its width and height (origin top-left). */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type MaskShape = 'line' | 'mirror' | 'ellipse' | 'rectangle' | 'heart' | 'star';

/**
 * A shape that keeps part of a layer's picture, in box pixels (origin top-left of `boxPx`, y down).
 * `line` keeps the side above a line through the centre; `mirror` keeps a band `heightPx` thick.
 */
export interface LayerMask {
  shape: MaskShape;
  centerXPx: number;
  centerYPx: number;
  widthPx: number;
  heightPx: number;
  /** Degrees, clockwise, about the mask centre. */
  rotationDeg: number;
  /** Width of the soft edge; 0 is a sharp edge. */
  featherPx: number;
  /** Rectangle corner radius. */
  cornerRadiusPx: number;
  /** Keep what lies outside the shape instead. */
  invert: boolean;
}

export type PictureFilterFn = 'brightness' | 'contrast' | 'saturate' | 'grayscale' | 'sepia' | 'invert' | 'blur';

/** A CSS filter function over time: `amount` is its CSS argument (a factor; pixels for blur). */
export interface PictureFilter {
  fn: PictureFilterFn;
  amount: Track;
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
  /** Intro/outro/loop animations (material_animations), layer-relative. */
  animations?: LayerAnimation[];
  /** Media layers: only this part of the source fills the box. */
  crop?: CropRect;
  /** Media layers: only this part of the box is drawn. */
  mask?: LayerMask;
  /** Media layers: applied to the picture in this order. */
  filters?: PictureFilter[];
}

/**
 * 曲线变速: JianYing's speed curve, played as one (speed-curve.ts). The points are the draft's
 * `speed_points`: x a share of the segment's source, y the speed there.
 */
export interface SpeedCurve {
  points: { x: number; y: number }[];
  /** Source seconds the curve covers (the segment's source duration). */
  sourceSec: number;
  /** Output seconds it lasts (the segment's target duration). */
  durationSec: number;
  /** Played seconds before the curve begins: a transition's lead-in, played at the curve's first speed. */
  leadSec: number;
}

/**
 * Which moment of its source a video shows on each of its (layer-relative) frames; read only
 * through source-time.ts, which both engines and the video's sound use.
 */
export interface SourceClock {
  /** Source time (seconds) shown at `freezeBeforeFrame` (the layer's first frame when absent). */
  sourceStartSec: number;
  /** Source seconds per output second (segment speed; a speed curve's mean speed). */
  playbackRate: number;
  /**
   * Frames before this one hold the source's first picture (a transition lead-in reaching before
   * source 0); playback of `sourceStartSec` starts here. Absent = 0.
   */
  freezeBeforeFrame?: number;
  /** From this frame on, the picture of the frame before is held (the source has ended). */
  holdFromFrame?: number;
  /** Played instead of `playbackRate` when present. */
  speedCurve?: SpeedCurve;
}

export interface VideoLayer extends LayerBase, SourceClock {
  kind: 'video';
  mediaId: string;
}

export interface ImageLayer extends LayerBase {
  kind: 'image';
  mediaId: string;
  /** `contain`: the picture keeps its aspect inside the box (its size was unknown when the box was made). */
  fit?: 'contain';
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
  /** Underline geometry when `underline` (JianYing's underline_width / underline_offset × em). */
  underlineThicknessPx?: number;
  /** Distance of the underline below the baseline. */
  underlineOffsetPx?: number;
  /** Karaoke: the run turns `color` → `highlight.color`, swept left to right over these layer frames. */
  highlight?: { color: string; fromFrame: number; toFrame: number };
}

export interface TextBlock {
  runs: TextRun[];
  align: 'left' | 'center' | 'right';
  /** Lines wrap at this width (line_max_width × canvas width; × height for vertical text). */
  maxWidthPx: number;
  /** false: lines break only at newlines (JianYing wraps `subtitle` texts, not plain `text` ones). Absent = wrap. */
  wrap?: boolean;
  /** CSS line-height multiplier. */
  lineHeight: number;
  letterSpacingPx: number;
  vertical: boolean;
  shadow?: TextShadow;
  /** Box behind the text; `paddingPx` is horizontal, `paddingYPx` vertical (= paddingPx when absent). */
  background?: { color: string; paddingPx: number; radiusPx: number; paddingYPx?: number };
  /** Opacity of the whole text: fill, stroke, shadow and box (JianYing's global_alpha). */
  opacity?: number;
}

export interface TextLayer extends LayerBase {
  kind: 'text';
  text: TextBlock;
  /**
   * Character-by-character reveal (打字机, 逐字显示). Drawn per character by TextLayerView
   * (composition/text/text-reveal.ts): LayerBox must no longer fade the whole text by it.
   */
  reveal?: TextReveal;
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

/**
 * What JianYing draws behind a main-track segment (its canvas material), for that segment's time.
 * `blur` is the segment's own picture, cover-fitted to the canvas and blurred, in step with it.
 */
export interface Background {
  /** The main-track segment. */
  segmentId: string;
  fromFrame: number;
  durationFrames: number;
  kind: 'color' | 'blur' | 'image';
  /** `color`: a CSS colour. */
  color?: string;
  /** `blur`: the segment's media; `image`: the background picture. */
  mediaId?: string;
  /** `blur`: Gaussian standard deviation. */
  blurPx?: number;
  /** `blur` of a video: the segment's source clock (source time at `fromFrame`, speed, speed curve). */
  sourceStartSec?: number;
  playbackRate?: number;
  speedCurve?: SpeedCurve;
  /** `blur`: the segment's crop. */
  crop?: CropRect;
  /** `blur`: cover-fit size of the (cropped) picture, centred on the canvas; absent when unknown. */
  boxPx?: { width: number; height: number };
}

export interface Timeline {
  widthPx: number;
  heightPx: number;
  fps: number;
  durationFrames: number;
  /** Drawn behind every layer; absent when the draft uses the default black. */
  backgrounds?: Background[];
  /** Back to front. */
  layers: VisualLayer[];
  audio: AudioClip[];
  media: Record<string, MediaRef>;
  warnings: TimelineWarning[];
}
