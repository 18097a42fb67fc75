/**
 * Where a layer's picture is on a frame, as numbers: its geometry with its animations' pose on
 * top (LayerPose, which LayerBox draws as the box's transform), and the canvas effects of its
 * transitions composed in (Placement, which the compositor moves and fades). What a transition
 * draws that a centre, a scale, a rotation and an opacity cannot say (blur, colour shifts, clip
 * paths) is the reason the frame must be drawn by the browser.
 */
import { valueAt } from '../track';
import type { VisualLayer } from '../types';
import { animationPoseAt, clamp01, flashOverlayAt, layerTransitionEffects, type CanvasEffect, type ClipShape } from './effects';

/** A layer's own placement at a layer-relative frame: its geometry with its animations' pose on top. */
export interface LayerPose {
  centerXPx: number;
  centerYPx: number;
  /** Signed: a flip is a negative scale. */
  scaleX: number;
  scaleY: number;
  /** Degrees, clockwise, about the centre; applied after the scale (CSS `rotate() scale()`). */
  rotationDeg: number;
  /** 0..1. */
  opacity: number;
  blurPx: number;
}

export function layerPoseAt(layer: Pick<VisualLayer, 'geometry' | 'animations'>, frame: number): LayerPose {
  const g = layer.geometry;
  const pose = animationPoseAt(layer.animations, frame);
  return {
    centerXPx: valueAt(g.centerXPx, frame) + pose.offsetXPx,
    centerYPx: valueAt(g.centerYPx, frame) + pose.offsetYPx,
    scaleX: valueAt(g.scaleX, frame) * pose.scale * (g.flipX ? -1 : 1),
    scaleY: valueAt(g.scaleY, frame) * pose.scale * (g.flipY ? -1 : 1),
    rotationDeg: valueAt(g.rotationDeg, frame) + pose.rotationDeg,
    // A typewriter reveal is drawn per character by the text view, not as a fade of the layer.
    opacity: clamp01(valueAt(g.opacity, frame) * pose.opacity),
    blurPx: pose.blurPx,
  };
}

/** A layer's pose with its transitions' canvas effects composed in: one centre, scale, rotation, opacity. */
export type Placement = Omit<LayerPose, 'blurPx'>;

export interface Canvas {
  width: number;
  height: number;
}

/** A clip that keeps the whole canvas (a wipe before it starts or after it ends) clips nothing. */
export const clipsNothing = (clip: ClipShape): boolean =>
  clip.kind === 'inset' ? clip.top <= 0 && clip.right <= 0 && clip.bottom <= 0 && clip.left <= 0 : clip.radius >= 1;

/** Why a canvas effect cannot be a placement (the browser draws it), or null. */
export function effectNeedsBrowser(e: CanvasEffect): string | null {
  if (e.blurPx > 0) return 'a blurring transition';
  if (e.saturate !== 1 || e.hueRotateDeg !== 0 || e.brightness !== 1) return 'a colour-shifting transition';
  if (e.clip && !clipsNothing(e.clip)) return 'a wipe / reveal transition';
  return null;
}

/**
 * A canvas effect (CSS `translate() rotate() scale()` about its origin, as canvasEffectStyle
 * writes it) applied to a placement; a string when the result is no placement any more.
 */
export function composeEffect(p: Placement, e: CanvasEffect, canvas: Canvas): Placement | string {
  const why = effectNeedsBrowser(e);
  if (why) return why;
  // A rotation over a stretch would shear the picture: not a rotated rectangle any more.
  const turned = e.rotateDeg !== 0 || Math.abs(p.rotationDeg % 360) > 1e-9;
  if (turned && e.scaleX !== e.scaleY) return 'a stretching transition on a rotated picture';
  const originX = e.originX * canvas.width;
  const originY = e.originY * canvas.height;
  const dx = e.scaleX * (p.centerXPx - originX);
  const dy = e.scaleY * (p.centerYPx - originY);
  const rad = (e.rotateDeg * Math.PI) / 180;
  return {
    centerXPx: originX + e.translateXPx + dx * Math.cos(rad) - dy * Math.sin(rad),
    centerYPx: originY + e.translateYPx + dx * Math.sin(rad) + dy * Math.cos(rad),
    scaleX: p.scaleX * e.scaleX,
    scaleY: p.scaleY * e.scaleY,
    rotationDeg: p.rotationDeg + e.rotateDeg,
    opacity: p.opacity * clamp01(e.opacity),
  };
}

/**
 * The layer's placement at a layer-relative frame (LayerBox's nesting: the outgoing effect
 * outside, the incoming inside, the pose innermost), or why only the browser can draw the frame.
 */
export function placementAt(layer: VisualLayer, frame: number, canvas: Canvas): Placement | string {
  const pose = layerPoseAt(layer, frame);
  if (pose.blurPx > 0) return 'a blurring animation';
  const effects = layerTransitionEffects(layer, frame, canvas);
  const own: Placement = {
    centerXPx: pose.centerXPx,
    centerYPx: pose.centerYPx,
    scaleX: pose.scaleX,
    scaleY: pose.scaleY,
    rotationDeg: pose.rotationDeg,
    opacity: pose.opacity,
  };
  const inner = composeEffect(own, effects.in, canvas);
  return typeof inner === 'string' ? inner : composeEffect(inner, effects.out, canvas);
}

/** The flash colour laid over the canvas after the layer at a frame (opacity 0 when none). */
export function flashAt(layer: Pick<VisualLayer, 'transitionIn'>, frame: number): { color: string; opacity: number } | null {
  return layer.transitionIn ? flashOverlayAt(layer.transitionIn, frame) : null;
}
