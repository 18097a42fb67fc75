/**
 * Intro/outro/loop/group animations (`materials.material_animations`, draft-format.md §7): one
 * container per segment, each animation `{name, type, start, duration}` in µs from the segment's
 * start. Names are mapped in animation-names.ts; an unknown intro/outro is drawn as a fade, an
 * unknown loop is left out, and both are reported.
 */
import type { AnimationMaterial } from '../draft/schema';
import { FADE, isReveal, lookupGroup, lookupIntro, lookupLoop, lookupOutro, type MotionSpec } from './animation-names';
import { defaultAnimationUs } from './default-durations';
import type { SizePx } from './geometry';
import { usToFrames } from './time';
import type { LayerAnimation, TextReveal, VisualLayer } from './types';
import type { WarningCode } from './warnings';

type Warn = (code: WarningCode, message: string) => void;

/** An unknown group animation fades in and out over at most this long at each end. */
const GROUP_FADE_MAX_SEC = 0.5;

interface Window {
  startFrame: number;
  durationFrames: number;
}

/** Give `layer` the animations of its segment's container (modified in place). */
export function applyAnimations(
  layer: VisualLayer,
  container: AnimationMaterial,
  ctx: { fps: number; canvas: SizePx },
  warn: Warn,
): void {
  const animations: LayerAnimation[] = [];
  let reveal: TextReveal | undefined;
  const approximated: string[] = [];
  const skipped: string[] = [];
  const isText = layer.kind === 'text';

  const motion = (name: string, phase: 'in' | 'out', spec: MotionSpec, w: Window) => {
    animations.push({
      name,
      family: spec.family,
      phase,
      ...w,
      pose: spec.pose({ phase, canvas: ctx.canvas, isText }),
      easing: spec.easing,
    });
  };

  for (const a of container.animations) {
    const name = a.name || 'unnamed';
    const type = a.type.toLowerCase();
    let { start, duration } = a;
    if (!(duration > 0)) {
      // No length stored: JianYing's default for the name; an outro without a start ends with its segment.
      duration = defaultAnimationUs(name);
      if (type === 'out' && !(start > 0)) start = Math.max(0, (layer.durationFrames / ctx.fps) * 1e6 - duration);
      approximated.push(`${name} (${type || '?'}) has no duration: JianYing's default ${duration / 1e6} s used`);
    }
    const w = animationWindow(start, duration, layer.durationFrames, ctx.fps);
    if (!w) {
      skipped.push(`${name} (${type || '?'}): shorter than a frame`);
      continue;
    }
    if (type === 'in' || type === 'out') {
      const match = type === 'in' ? lookupIntro(name) : lookupOutro(name);
      if (!match) {
        approximated.push(`${name} (${type}) unknown: drawn as a fade`);
        motion(name, type, FADE, w);
        continue;
      }
      const { spec, variantOf } = match;
      if (isReveal(spec)) {
        if (isText && type === 'in') {
          reveal = { name, mode: spec.reveal, ...w };
          if (spec.approximate) approximated.push(`${name} (${type}) ${spec.approximate}`);
          else if (variantOf) approximated.push(`${name} (${type}) drawn like "${variantOf}"`);
        } else {
          approximated.push(`${name} (${type}) drawn as a fade`);
          motion(name, type, FADE, w);
        }
        continue;
      }
      if (spec.approximate) approximated.push(`${name} (${type}) ${spec.approximate}`);
      else if (variantOf) approximated.push(`${name} (${type}) drawn like "${variantOf}"`);
      motion(name, type, spec, w);
    } else if (type === 'loop') {
      const match = lookupLoop(name);
      if (!match) {
        skipped.push(`${name} (loop)`);
        continue;
      }
      const { spec, variantOf } = match;
      if (spec.approximate) approximated.push(`${name} (loop) ${spec.approximate}`);
      else if (variantOf) approximated.push(`${name} (loop) drawn like "${variantOf}"`);
      animations.push({
        name,
        family: spec.family,
        phase: 'loop',
        ...w,
        pose: spec.pose(ctx.canvas),
        easing: 'linear',
        periodFrames: Math.max(1, Math.round(spec.periodSec * ctx.fps)),
        wave: spec.wave,
      });
    } else if (type === 'group') {
      const match = lookupGroup(name);
      const half = Math.floor(w.durationFrames / 2);
      if (match) {
        // A group is one motion over its window: its intro plays over the first half, its outro the second.
        approximated.push(`${name} (group) drawn as an intro and an outro`);
        motion(name, 'in', match.spec.in, { startFrame: w.startFrame, durationFrames: half });
        motion(name, 'out', match.spec.out, {
          startFrame: w.startFrame + half,
          durationFrames: w.durationFrames - half,
        });
      } else {
        approximated.push(`${name} (group) unknown: drawn as a fade in and out`);
        const fadeFrames = Math.min(half, Math.round(GROUP_FADE_MAX_SEC * ctx.fps));
        motion(name, 'in', FADE, { startFrame: w.startFrame, durationFrames: fadeFrames });
        motion(name, 'out', FADE, {
          startFrame: w.startFrame + w.durationFrames - fadeFrames,
          durationFrames: fadeFrames,
        });
      }
    } else {
      skipped.push(`${name} (type "${a.type}")`);
    }
  }

  const drawn = animations.filter((a) => a.durationFrames >= 1);
  if (drawn.length > 0) layer.animations = drawn;
  if (reveal && layer.kind === 'text') layer.reveal = reveal;
  if (approximated.length > 0) warn('animation-approximated', `animations approximated: ${approximated.join('; ')}`);
  if (skipped.length > 0) warn('animation-skipped', `animations not drawn: ${skipped.join(', ')}`);
}

/**
 * Frames of an animation inside its layer. Both ends are rounded from µs (like segment windows)
 * and clamped to the layer, which at this point is still exactly its segment.
 */
export function animationWindow(
  startUs: number,
  durationUs: number,
  layerDurationFrames: number,
  fps: number,
): Window | null {
  const from = Math.max(0, usToFrames(startUs, fps));
  const end = Math.min(layerDurationFrames, usToFrames(startUs + durationUs, fps));
  return end - from >= 1 ? { startFrame: from, durationFrames: end - from } : null;
}
