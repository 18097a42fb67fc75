/**
 * Frame math of transitions and animations, as numbers (no CSS, no ffmpeg): the React composition
 * turns them into CSS, the compositor into placements. All frames are layer-relative; a window of
 * N frames is sampled at the middle of each frame, so it moves in N even steps and both sides of a
 * transition see the same progress at the same absolute frame.
 */
import type { AnimationEasing, AnimationPose, LayerAnimation, LoopWave, TextReveal, TransitionEffect, VisualLayer } from '../types';

export const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

/** 0..1 through a window, at the middle of `frame`; 0 before, 1 after. */
export const windowProgress = (startFrame: number, durationFrames: number, frame: number): number =>
  durationFrames <= 0 ? 1 : clamp01((frame - startFrame + 0.5) / durationFrames);

/** 0 at the window's edges, 1 at its middle (the cut). */
export const triangle = (p: number): number => 1 - Math.abs(2 * p - 1);

/** Overshoot of `back-out`: ~10 % past the end, at 60 % of the way (easings.net's easeOutBack). */
const BACK_OVERSHOOT = 1.70158;

export function ease(easing: AnimationEasing, p: number): number {
  switch (easing) {
    case 'linear':
      return p;
    case 'ease-out':
      return 1 - (1 - p) * (1 - p);
    case 'back-out': {
      const q = p - 1;
      return 1 + (BACK_OVERSHOOT + 1) * q * q * q + BACK_OVERSHOOT * q * q;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Transitions: a canvas-space effect per side (the track's picture moves, blurs or is clipped as a whole).

export type ClipShape =
  /** Fractions of the canvas cut from each side. */
  | { kind: 'inset'; top: number; right: number; bottom: number; left: number }
  /** Radius as a fraction of half the canvas diagonal, centred. */
  | { kind: 'circle'; radius: number };

export interface CanvasEffect {
  opacity: number;
  translateXPx: number;
  translateYPx: number;
  rotateDeg: number;
  scaleX: number;
  scaleY: number;
  /** Transform origin, fractions of the canvas (0.5 = centre). */
  originX: number;
  originY: number;
  blurPx: number;
  saturate: number;
  hueRotateDeg: number;
  brightness: number;
  clip?: ClipShape;
}

export const IDENTITY_EFFECT: CanvasEffect = {
  opacity: 1,
  translateXPx: 0,
  translateYPx: 0,
  rotateDeg: 0,
  scaleX: 1,
  scaleY: 1,
  originX: 0.5,
  originY: 0.5,
  blurPx: 0,
  saturate: 1,
  hueRotateDeg: 0,
  brightness: 1,
};

const UNIT = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] } as const;

/** Peak blur of the `blur` transition, as a share of the canvas's longer side. */
const BLUR_SHARE = 0.03;
/** Peak jitter of `glitch`, as a share of the canvas width. */
const GLITCH_SHARE = 0.04;

/** A repeatable pseudo-random number in [−1, 1] for an integer frame. */
export const jitter = (k: number): number => {
  const x = Math.sin(k * 12.9898 + 78.233) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
};

/**
 * How one side of a transition is drawn at a layer-relative frame. The incoming layer is drawn
 * over the outgoing one, so "revealing the incoming" is a clip on the incoming side.
 */
export function transitionEffectAt(
  t: TransitionEffect,
  side: 'in' | 'out',
  frame: number,
  canvas: { width: number; height: number },
): CanvasEffect {
  const p = windowProgress(t.startFrame, t.durationFrames, frame);
  const e = { ...IDENTITY_EFFECT };
  const incoming = side === 'in';
  switch (t.kind) {
    case 'crossfade':
      if (incoming) e.opacity = p;
      break;
    case 'flash-white':
    case 'flash-black':
      // The picture switches at the cut, hidden by the colour (see flashOverlayAt).
      if (incoming) e.opacity = p >= 0.5 ? 1 : 0;
      break;
    case 'blur': {
      const peak = BLUR_SHARE * Math.max(canvas.width, canvas.height);
      e.blurPx = peak * Math.min(1, 2 * (incoming ? 1 - p : p));
      if (incoming) e.opacity = p;
      break;
    }
    case 'zoom-in':
      e.scaleX = e.scaleY = incoming ? 0.5 + 0.5 * p : 1 + p;
      if (incoming) e.opacity = p;
      break;
    case 'zoom-out':
      e.scaleX = e.scaleY = incoming ? 2 - p : 1 - 0.5 * p;
      if (incoming) e.opacity = p;
      break;
    case 'push':
    case 'slide': {
      const [ux, uy] = UNIT[t.direction ?? 'left'];
      // The incoming comes from one canvas behind; the outgoing (push only) leaves one canvas ahead.
      const travel = incoming ? -(1 - p) : t.kind === 'push' ? p : 0;
      e.translateXPx = ux * canvas.width * travel;
      e.translateYPx = uy * canvas.height * travel;
      break;
    }
    case 'wipe':
      if (incoming) {
        const hidden = 1 - p;
        const dir = t.direction ?? 'right';
        e.clip = {
          kind: 'inset',
          top: dir === 'up' ? hidden : 0,
          right: dir === 'right' ? hidden : 0,
          bottom: dir === 'down' ? hidden : 0,
          left: dir === 'left' ? hidden : 0,
        };
      }
      break;
    case 'circle-reveal':
      if (incoming) e.clip = { kind: 'circle', radius: p };
      break;
    case 'curtain':
      if (incoming) {
        const half = (1 - p) / 2;
        e.clip =
          t.axis === 'vertical'
            ? { kind: 'inset', top: half, right: 0, bottom: half, left: 0 }
            : { kind: 'inset', top: 0, right: half, bottom: 0, left: half };
      }
      break;
    case 'rotate': {
      const sense = t.clockwise === false ? -1 : 1;
      e.rotateDeg = sense * 90 * (incoming ? -(1 - p) : p);
      if (incoming) e.opacity = p;
      break;
    }
    case 'color-dissolve':
      e.saturate = 1 + 2 * triangle(p);
      if (incoming) e.opacity = p;
      break;
    case 'page-turn':
      // The outgoing page folds onto its left edge; the incoming shows in the space it leaves.
      if (incoming) e.clip = { kind: 'inset', top: 0, right: 0, bottom: 0, left: 1 - p };
      else {
        e.scaleX = 1 - p;
        e.originX = 0;
        e.brightness = 1 - 0.4 * p;
      }
      break;
    case 'glitch': {
      const strength = triangle(p);
      const k = Math.round(frame - t.startFrame);
      e.translateXPx = GLITCH_SHARE * canvas.width * strength * jitter(k);
      e.translateYPx = 0.25 * GLITCH_SHARE * canvas.height * strength * jitter(k + 101);
      // Colour flicker only near the cut, so the window's edges stay clean.
      e.hueRotateDeg = 180 * Math.max(0, (strength - 0.3) / 0.7) * Math.abs(jitter(k + 7));
      if (incoming) e.opacity = p >= 0.5 ? 1 : 0;
      break;
    }
  }
  return e;
}

/** The effects of a layer's transitions at a layer-relative frame: the outgoing side, then the incoming. */
export function layerTransitionEffects(
  layer: Pick<VisualLayer, 'transitionIn' | 'transitionOut'>,
  frame: number,
  canvas: { width: number; height: number },
): { out: CanvasEffect; in: CanvasEffect } {
  return {
    out: layer.transitionOut ? transitionEffectAt(layer.transitionOut, 'out', frame, canvas) : IDENTITY_EFFECT,
    in: layer.transitionIn ? transitionEffectAt(layer.transitionIn, 'in', frame, canvas) : IDENTITY_EFFECT,
  };
}

/** The colour laid over the canvas by a flash transition (drawn by the incoming side only). */
export function flashOverlayAt(t: TransitionEffect, frame: number): { color: string; opacity: number } | null {
  if (t.kind !== 'flash-white' && t.kind !== 'flash-black') return null;
  const p = windowProgress(t.startFrame, t.durationFrames, frame);
  return { color: t.kind === 'flash-white' ? '#ffffff' : '#000000', opacity: triangle(p) };
}

// ---------------------------------------------------------------------------------------------
// Animations: a pose relative to the layer's own geometry.

export type FullPose = Required<AnimationPose>;

export const IDENTITY_POSE: FullPose = { opacity: 1, scale: 1, offsetXPx: 0, offsetYPx: 0, rotationDeg: 0, blurPx: 0 };

/** Weight of `pose` at a loop's cycle position c ∈ [0, 1). */
export function loopWeight(wave: LoopWave, c: number): number {
  switch (wave) {
    case 'pingpong':
      return (1 - Math.cos(2 * Math.PI * c)) / 2;
    case 'ramp':
      return c;
    case 'swing':
      return Math.sin(2 * Math.PI * c);
  }
}

/** How far an animation is away from the layer's own pose at a frame (0 = own pose, 1 = `pose`). */
export function animationWeight(a: LayerAnimation, frame: number): number {
  if (a.phase === 'loop') {
    if (frame < a.startFrame || frame >= a.startFrame + a.durationFrames) return 0;
    const period = Math.max(1, a.periodFrames ?? a.durationFrames);
    const c = ((frame - a.startFrame + 0.5) / period) % 1;
    return loopWeight(a.wave ?? 'pingpong', c);
  }
  const p = windowProgress(a.startFrame, a.durationFrames, frame);
  // An outro is its intro played backwards, so it accelerates away.
  return a.phase === 'in' ? 1 - ease(a.easing, p) : 1 - ease(a.easing, 1 - p);
}

const lerp = (from: number, to: number, w: number) => from + (to - from) * w;

/** All animations of a layer at a frame, combined (opacity and scale multiply, the rest add). */
export function animationPoseAt(animations: readonly LayerAnimation[] | undefined, frame: number): FullPose {
  const out = { ...IDENTITY_POSE };
  for (const a of animations ?? []) {
    const w = animationWeight(a, frame);
    if (w === 0) continue;
    const pose = a.pose;
    if (pose.opacity !== undefined) out.opacity *= lerp(1, pose.opacity, w);
    if (pose.scale !== undefined) out.scale *= lerp(1, pose.scale, w);
    if (pose.offsetXPx !== undefined) out.offsetXPx += pose.offsetXPx * w;
    if (pose.offsetYPx !== undefined) out.offsetYPx += pose.offsetYPx * w;
    if (pose.rotationDeg !== undefined) out.rotationDeg += pose.rotationDeg * w;
    if (pose.blurPx !== undefined) out.blurPx += pose.blurPx * w;
  }
  out.opacity = clamp01(out.opacity);
  out.scale = Math.max(0, out.scale);
  return out;
}

/** Share of a text revealed at a frame (0..1); a view that cannot reveal by character fades by it. */
export const revealProgress = (reveal: TextReveal | undefined, frame: number): number =>
  reveal ? windowProgress(reveal.startFrame, reveal.durationFrames, frame) : 1;
