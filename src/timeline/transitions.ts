/**
 * Transitions (draft-format.md §7): the material is referenced from the EARLIER of two adjacent
 * segments of a track. The window is centred on the cut and does not shorten the timeline: the
 * outgoing layer keeps playing past its end, the incoming one starts early.
 *
 * Rounding: the window is `usToFrames(duration)` frames. JianYing's own exports measured whole,
 * even windows, half on each side (draft-format.md §12: 0.4 s at 30 fps = 6 + 6 frames). An odd
 * window (500 ms at 30 fps → 15, from writers other than JianYing) is split floor(w/2) before the
 * cut (7) and the rest after (8): exactly w frames, [cut − 7, cut + 8), centred within half a
 * frame; that split is an estimate and reported (`transition-window-estimated`). A transition
 * stored without a duration gets JianYing's default for its name (default-durations.ts).
 *
 * Edges of the source: a lead-in that would reach before source 0 holds the source's first
 * picture instead (`freezeBeforeFrame`), and a tail past the end of the material holds its last
 * one (`holdFromFrame`); photos never end.
 */
import type { DraftSegment } from '../draft/schema';
import { defaultTransitionUs } from './default-durations';
import { findExtra } from './extra-materials';
import { materialIn, type MaterialIndex } from './materials';
import { firstFrameReaching, startRate } from './source-time';
import { shiftTrack } from './track';
import { usToFrames, usToSeconds } from './time';
import { lookupTransition, type TransitionSpec } from './transition-names';
import type { Geometry, TransitionEffect, VideoLayer, VisualLayer } from './types';
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
    let durationUs = transition.duration;
    if (!(durationUs > 0)) {
      durationUs = defaultTransitionUs(transition.name);
      warn(segment.id, 'transition-approximated', `transition "${name}" has no duration: JianYing's default ${durationUs / 1e6} s used`);
    }
    const windowFrames = Math.min(usToFrames(durationUs, fps), placed[i].duration, placed[i + 1].duration);
    if (windowFrames < 1) {
      warn(segment.id, 'transition-skipped', `transition "${name}" is shorter than a frame`);
      continue;
    }
    let spec = lookupTransition(transition.name);
    if (!spec) {
      warn(segment.id, 'transition-approximated', `transition "${name}" unknown: drawn as a cross-fade`);
      spec = { kind: 'crossfade' };
    } else if (spec.approximate) {
      warn(segment.id, 'transition-approximated', `transition "${name}" ${spec.approximate}`);
    }
    if (windowFrames % 2 === 1) {
      const { leadInFrames, tailFrames } = transitionSplit(windowFrames);
      warn(
        segment.id,
        'transition-window-estimated',
        `transition "${name}" lasts ${windowFrames} frames, an odd number: drawn ${leadInFrames} before the cut and ${tailFrames} after (JianYing's measured windows are even, half on each side)`,
      );
    }
    placeTransition(out, next.layer, transition.name, spec, windowFrames, fps);
    if (out.kind === 'video') holdPastMaterialEnd(out, materialDurationSec(index, out.mediaId), fps);
  }
}

function placeTransition(
  out: VisualLayer,
  incoming: VisualLayer,
  name: string,
  spec: TransitionSpec,
  windowFrames: number,
  fps: number,
): void {
  const { leadInFrames, tailFrames } = transitionSplit(windowFrames);
  const effect = (startFrame: number): TransitionEffect => ({
    name,
    kind: spec.kind,
    ...(spec.direction ? { direction: spec.direction } : {}),
    ...(spec.axis ? { axis: spec.axis } : {}),
    ...(spec.clockwise !== undefined ? { clockwise: spec.clockwise } : {}),
    startFrame,
    durationFrames: windowFrames,
  });

  out.durationFrames += tailFrames;
  out.transitionOut = effect(out.durationFrames - windowFrames);

  incoming.fromFrame -= leadInFrames;
  incoming.durationFrames += leadInFrames;
  shiftLayerTimes(incoming, leadInFrames);
  incoming.transitionIn = effect(0);
  if (incoming.kind === 'video') {
    const lead = leadInSource(incoming.sourceStartSec, leadInFrames, startRate(incoming), fps);
    Object.assign(incoming, lead);
    // A speed curve begins at the cut: the lead-in before it plays at its first speed.
    const playedLeadIn = leadInFrames - (lead.freezeBeforeFrame ?? 0);
    if (incoming.speedCurve) incoming.speedCurve = { ...incoming.speedCurve, leadSec: playedLeadIn / fps };
  }
}

/**
 * Where the incoming source starts once the layer starts `leadInFrames` early: that much earlier
 * in the source, or, when the source has not that much before its start, at 0 after holding the
 * first picture for `freezeBeforeFrame` frames. Either way the segment's own start still plays
 * exactly at the cut.
 */
export function leadInSource(
  sourceStartSec: number,
  leadInFrames: number,
  playbackRate: number,
  fps: number,
): { sourceStartSec: number; freezeBeforeFrame?: number } {
  const leadInSourceSec = (leadInFrames / fps) * playbackRate;
  if (sourceStartSec >= leadInSourceSec - 1e-9) return { sourceStartSec: Math.max(0, sourceStartSec - leadInSourceSec) };
  // Play the last (leadIn − freeze) frames of the lead-in from the source, hold before.
  const freezeBeforeFrame = Math.ceil(leadInFrames - (sourceStartSec * fps) / playbackRate - 1e-9);
  const played = ((leadInFrames - freezeBeforeFrame) / fps) * playbackRate;
  return { sourceStartSec: Math.max(0, sourceStartSec - played), freezeBeforeFrame };
}

/** Hold the last picture from the first frame whose source time is past the material's end. */
export function holdPastMaterialEnd(layer: VideoLayer, materialDurationSec: number | undefined, fps: number): void {
  if (!materialDurationSec || materialDurationSec <= 0) return;
  const holdFromFrame = firstFrameReaching(layer, materialDurationSec, fps, layer.durationFrames);
  if (holdFromFrame !== undefined) layer.holdFromFrame = holdFromFrame;
}

function materialDurationSec(index: MaterialIndex, mediaId: string): number | undefined {
  const material = materialIn(index.get(mediaId), 'videos');
  return material?.duration ? usToSeconds(material.duration) : undefined;
}

/** Everything layer-relative moves with a layer that now starts `deltaFrames` earlier. */
function shiftLayerTimes(layer: VisualLayer, deltaFrames: number): void {
  layer.geometry = shiftGeometry(layer.geometry, deltaFrames);
  if (layer.animations) {
    layer.animations = layer.animations.map((a) => ({ ...a, startFrame: a.startFrame + deltaFrames }));
  }
  if (layer.kind === 'text') {
    if (layer.reveal) layer.reveal = { ...layer.reveal, startFrame: layer.reveal.startFrame + deltaFrames };
    const runs = layer.text.runs.map((run) =>
      run.highlight
        ? { ...run, highlight: { ...run.highlight, fromFrame: run.highlight.fromFrame + deltaFrames, toFrame: run.highlight.toFrame + deltaFrames } }
        : run,
    );
    layer.text = { ...layer.text, runs };
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
