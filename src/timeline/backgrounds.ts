/**
 * Canvas backgrounds (`materials.canvases[]`, draft-format.md §7): JianYing draws them only behind
 * segments of the main track (the first video track), for that segment's own time (a transition's
 * lead-in or tail does not move it). Types:
 * - `canvas_color`: `color` `#RRGGBB[AA]`; empty or black is the default (nothing to draw);
 * - `canvas_blur`: the segment's own picture, cover-fitted to the canvas and blurred; `blur` is one
 *   of JianYing's four levels 0.0625, 0.375, 0.75, 1;
 * - `canvas_image`: a picture (`image`, a path) filling the canvas;
 * - `none` or an empty type: the default black.
 */
import type { CanvasMaterial, DraftSegment } from '../draft/schema';
import type { DraftContext } from '../draft/types';
import { isBlackOrClear, parseHexColor, toCss } from './color';
import { croppedSize } from './crop';
import type { SizePx } from './geometry';
import { mediaCandidates } from './materials';
import type { SegmentSpeed } from './segment-speed';
import { usToSeconds } from './time';
import type { Background, CropRect, MediaRef } from './types';
import type { WarningCode } from './warnings';

type Warn = (code: WarningCode, message: string) => void;

/** The app's four blur levels as drafts store them (draft-format.md §12). */
const BLUR_LEVELS = [0.0625, 0.375, 0.75, 1];

/** JianYing's weakest blur level, for a `canvas_blur` that gives none. */
const DEFAULT_BLUR_LEVEL = BLUR_LEVELS[0];

/**
 * Blur level (0..1) → Gaussian standard deviation as a fraction of the canvas's short side.
 * Estimated from JianYing exports: even the weakest level leaves only large shapes, the strongest
 * only colour washes. A constant part keeps level 1 visibly blurred.
 */
export function backgroundBlurPx(level: number, canvas: SizePx): number {
  const clamped = Math.min(1, Math.max(0, level));
  return Math.min(canvas.width, canvas.height) * (0.012 + 0.09 * clamped);
}

/** Smallest box of the picture's aspect that covers the canvas. */
export function coverFit(picture: { width?: number; height?: number }, canvas: SizePx): SizePx | undefined {
  const { width, height } = picture;
  if (!width || !height || width <= 0 || height <= 0) return undefined;
  const factor = Math.max(canvas.width / width, canvas.height / height);
  return { width: width * factor, height: height * factor };
}

export interface BackgroundArgs {
  canvasMaterial: CanvasMaterial;
  segment: DraftSegment;
  /** The segment's media (the blurred picture). */
  media: MediaRef;
  crop?: CropRect;
  window: { fromFrame: number; durationFrames: number };
  speed: SegmentSpeed;
  canvas: SizePx;
  ctx: DraftContext;
  /** Registers the background image's media and returns the registered ref. */
  registerMedia: (ref: MediaRef) => MediaRef;
  warn: Warn;
}

/** The background behind one main-track segment; undefined for the default black. */
export function backgroundFor(args: BackgroundArgs): Background | undefined {
  const { canvasMaterial: canvas, segment, window, warn } = args;
  const base = { segmentId: segment.id, fromFrame: window.fromFrame, durationFrames: window.durationFrames };
  switch (canvas.type) {
    case '':
    case 'none':
      return undefined;
    case 'canvas_color': {
      const color = parseHexColor(canvas.color);
      if (color === null || isBlackOrClear(color)) return undefined;
      return { ...base, kind: 'color', color: toCss(color) };
    }
    case 'canvas_blur': {
      const { media, crop } = args;
      const level = canvas.blur && canvas.blur > 0 ? canvas.blur : DEFAULT_BLUR_LEVEL;
      warn('canvas-approximated', `background blur level ${level} (JianYing's four: ${BLUR_LEVELS.join(' / ')}) drawn at an estimated strength`);
      const boxPx = coverFit(croppedSize({ width: media.widthPx, height: media.heightPx }, crop), args.canvas);
      return {
        ...base,
        kind: 'blur',
        mediaId: media.id,
        blurPx: backgroundBlurPx(level, args.canvas),
        ...(media.kind === 'video'
          ? {
              sourceStartSec: usToSeconds(segment.source_timerange?.start ?? 0),
              playbackRate: args.speed.playbackRate,
              ...(args.speed.speedCurve ? { speedCurve: args.speed.speedCurve } : {}),
            }
          : {}),
        ...(crop ? { crop } : {}),
        ...(boxPx ? { boxPx } : {}),
      };
    }
    case 'canvas_image': {
      const image = canvas.image ?? '';
      const candidates = image ? mediaCandidates(image, undefined, args.ctx) : [];
      if (candidates.length === 0) {
        warn('canvas-skipped', 'background image has no file: black instead');
        return undefined;
      }
      const name = String(canvas.image_name || image.split(/[\\/]/).pop() || canvas.id);
      const ref = args.registerMedia({ id: canvas.id, kind: 'photo', name, candidates });
      return { ...base, kind: 'image', mediaId: ref.id };
    }
    default:
      warn('canvas-skipped', `background ${canvas.type} not drawn (black instead)`);
      return undefined;
  }
}
