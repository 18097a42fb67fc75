/**
 * Transitions (draft-format.md §7): the material is referenced from the EARLIER of two adjacent
 * segments of a track. The window is centred on the cut and does not shorten the timeline: the
 * outgoing layer keeps playing past its end, the incoming one starts early.
 *
 * Rounding: the window is `usToFrames(duration)` frames (500 ms at 30 fps → 15). The incoming
 * layer starts floor(w/2) frames early (7), the outgoing one ends w − floor(w/2) frames late (8),
 * so the window is exactly w frames, [cut − 7, cut + 8), centred on the cut within half a frame.
 */
import type { DraftSegment, TransitionMaterial } from '../draft/schema';
import { findExtra } from './extra-materials';
import type { MaterialIndex } from './materials';
import { shiftTrack } from './track';
import { usToFrames } from './time';
import type { Geometry, VisualLayer } from './types';
import type { WarningCode } from './warnings';

export interface TrackLayer {
  layer: VisualLayer;
  segment: DraftSegment;
}

type Warn = (segmentId: string, code: WarningCode, message: string) => void;

/** Frames the incoming layer starts early and the outgoing one ends late, for a window. */
export function transitionSplit(windowFrames: number): { leadInFrames: number; tailFrames: number } {
  const leadInFrames = Math.floor(windowFrames / 2);
  return { leadInFrames, tailFrames: windowFrames - leadInFrames };
}

/**
 * Apply the transitions of one track. `layers` are that track's layers in time order; they are
 * modified in place.
 */
export function applyTransitions(
  layers: TrackLayer[],
  index: MaterialIndex,
  fps: number,
  warn: Warn,
): void {
  // Windows are judged on the segments as placed, before any transition moved them.
  const placed = layers.map(({ layer }) => ({
    from: layer.fromFrame,
    end: layer.fromFrame + layer.durationFrames,
    duration: layer.durationFrames,
  }));
  for (let i = 0; i < layers.length; i++) {
    const { segment, layer: out } = layers[i];
    const transition = findExtra(segment.extra_material_refs, index, 'transitions');
    if (!transition) continue;
    const name = transition.name || transition.effect_id || transition.id;
    const next = layers[i + 1];
    // Adjacent = the next segment starts on this one's last frame boundary (±1 frame of rounding).
    if (!next || Math.abs(placed[i + 1].from - placed[i].end) > 1) {
      warn(segment.id, 'transition-skipped', `transition "${name}" has no adjacent next segment`);
      continue;
    }
    const windowFrames = Math.min(
      usToFrames(transition.duration, fps),
      placed[i].duration,
      placed[i + 1].duration,
    );
    if (windowFrames < 1) {
      warn(segment.id, 'transition-skipped', `transition "${name}" is shorter than a frame`);
      continue;
    }
    placeTransition(out, next.layer, transition, windowFrames, fps);
    warn(segment.id, 'transition-approximated', `transition "${name}" drawn as a cross-fade`);
  }
}

function placeTransition(
  out: VisualLayer,
  incoming: VisualLayer,
  transition: TransitionMaterial,
  windowFrames: number,
  fps: number,
): void {
  const { leadInFrames, tailFrames } = transitionSplit(windowFrames);
  const name = transition.name;

  out.durationFrames += tailFrames;
  out.transitionOut = {
    name,
    kind: 'crossfade',
    startFrame: out.durationFrames - windowFrames,
    durationFrames: windowFrames,
  };

  incoming.fromFrame -= leadInFrames;
  incoming.durationFrames += leadInFrames;
  incoming.geometry = shiftGeometry(incoming.geometry, leadInFrames);
  incoming.transitionIn = { name, kind: 'crossfade', startFrame: 0, durationFrames: windowFrames };
  if (incoming.kind === 'video') {
    // Keep the source in step: the lead-in shows the source just before the segment's own start.
    const leadInSourceSec = (leadInFrames / fps) * incoming.playbackRate;
    incoming.sourceStartSec = Math.max(0, incoming.sourceStartSec - leadInSourceSec);
  }
}

function shiftGeometry(g: Geometry, deltaFrames: number): Geometry {
  return {
    ...g,
    centerXPx: shiftTrack(g.centerXPx, deltaFrames),
    centerYPx: shiftTrack(g.centerYPx, deltaFrames),
    scaleX: shiftTrack(g.scaleX, deltaFrames),
    scaleY: shiftTrack(g.scaleY, deltaFrames),
    rotationDeg: shiftTrack(g.rotationDeg, deltaFrames),
    opacity: shiftTrack(g.opacity, deltaFrames),
  };
}
