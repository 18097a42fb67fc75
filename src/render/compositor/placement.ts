/**
 * Where a layer's picture is on each frame, as plain numbers: what LayerBox draws with CSS
 * (geometry, animation pose, the canvas effects of its transitions), composed into one centre,
 * one scale, one rotation and one opacity. Anything CSS draws that these numbers cannot say
 * (blur, colour shifts, clip paths) is returned as the reason the compositor cannot draw the layer.
 */
import { clamp01, flashOverlayAt, layerPoseAt, type CanvasEffect, type LayerPose } from '../../composition/effect-math';
import { layerTransitionEffects } from '../../composition/transition-style';
import type { VisualLayer } from '../../timeline/types';

/** A layer's pose with its transitions' canvas effects composed in (blur has no place here). */
export type Placement = Omit<LayerPose, 'blurPx'>;

export interface Canvas {
  width: number;
  height: number;
}

/** A canvas effect (CSS `translate() rotate() scale()` about its origin) applied to a placement. */
function applyEffect(p: Placement, e: CanvasEffect, canvas: Canvas): Placement | string {
  if (e.blurPx > 0) return 'a blurring transition';
  if (e.saturate !== 1 || e.hueRotateDeg !== 0 || e.brightness !== 1) return 'a colour-shifting transition';
  if (e.clip) return 'a wipe / reveal transition';
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

/** The layer's placement at a layer-relative frame, or why it cannot be drawn without a browser. */
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
  // CSS nests the outgoing side outside the incoming one: the incoming effect applies first.
  const inner = applyEffect(own, effects.in, canvas);
  return typeof inner === 'string' ? inner : applyEffect(inner, effects.out, canvas);
}

/** The flash colour laid over the canvas after the layer at a frame (opacity 0 when none). */
export function flashAt(layer: VisualLayer, frame: number): { color: string; opacity: number } | null {
  return layer.transitionIn ? flashOverlayAt(layer.transitionIn, frame) : null;
}
