/**
 * Draft → Timeline: every JianYing rule applied once, in frames and pixels, with a warning for
 * everything skipped or approximated. The rules themselves live in the small modules imported here.
 */
import type { Draft, DraftSegment, DraftTrack } from '../draft/schema';
import type { DraftContext } from '../draft/types';
import { GenVideoError } from '../errors';
import { audioClipFor, isTrackMuted } from './audio';
import { extraMaterialWarnings, findExtra } from './extra-materials';
import type { SizePx } from './geometry';
import { mediaBox, mediaLayer, segmentGeometry, textLayer } from './layers';
import {
  indexMaterials,
  materialIn,
  mediaRefForAudio,
  mediaRefForVideo,
  type MaterialEntry,
  type MaterialIndex,
} from './materials';
import { compareDrawOrder, drawOrderKey, type DrawOrderKey } from './order';
import { FONT_FAMILY, textBlockFor } from './text';
import { DEFAULT_FPS, segmentFrames, usableFps } from './time';
import { applyTransitions, type TrackLayer } from './transitions';
import type { AudioClip, MediaRef, Timeline, VisualLayer } from './types';
import { createWarningSink, type WarningCode, type WarningSink } from './warnings';

export interface CompileOptions {
  /** Keep only the first N seconds (previews, bench). */
  maxSeconds?: number;
}

const DEFAULT_CANVAS: SizePx = { width: 1920, height: 1080 };

/** Track types that carry no picture or sound we draw yet. */
const SKIPPED_TRACK_TYPES: Record<string, WarningCode> = {
  sticker: 'sticker-skipped',
  effect: 'effect-skipped',
  filter: 'filter-skipped',
  adjust: 'adjust-skipped',
};

interface Placed extends TrackLayer {
  key: DrawOrderKey;
}

interface Compiler {
  draft: Draft;
  ctx: DraftContext;
  fps: number;
  canvas: SizePx;
  index: MaterialIndex;
  warnings: WarningSink;
  media: Record<string, MediaRef>;
  layers: Placed[];
  audio: AudioClip[];
}

export function compileTimeline(draft: Draft, ctx: DraftContext = {}, opts: CompileOptions = {}): Timeline {
  const warnings = createWarningSink();

  let fps = usableFps(draft.fps);
  if (fps === null) {
    warnings.add('fps-missing', `fps ${String(draft.fps)} unusable: ${DEFAULT_FPS} used`);
    fps = DEFAULT_FPS;
  }
  const canvas = canvasSize(draft, warnings);

  const c: Compiler = {
    draft,
    ctx,
    fps,
    canvas,
    index: indexMaterials(draft.materials),
    warnings,
    media: {},
    layers: [],
    audio: [],
  };

  draft.tracks.forEach((track, trackIndex) => compileTrack(c, track, trackIndex));

  if (c.layers.length === 0 && c.audio.length === 0) {
    throw new GenVideoError('DRAFT_EMPTY', 'no visible or audible segment in the draft');
  }

  let layers = c.layers.sort((a, b) => compareDrawOrder(a.key, b.key)).map((p) => p.layer);
  let audio = c.audio;
  if (opts.maxSeconds !== undefined && Number.isFinite(opts.maxSeconds) && opts.maxSeconds > 0) {
    const maxFrames = Math.max(1, Math.round(opts.maxSeconds * fps));
    layers = cutLayers(layers, maxFrames);
    audio = cutAudio(audio, maxFrames);
  }

  // The draft's own `duration` is not trusted: the segments say how long the video is.
  const durationFrames = Math.max(
    0,
    ...layers.map((l) => l.fromFrame + l.durationFrames),
    ...audio.map((a) => a.fromFrame + a.durationFrames),
  );

  // Keep only the media still used after cutting.
  const used = new Set([
    ...layers.flatMap((l) => ('mediaId' in l ? [l.mediaId] : [])),
    ...audio.map((a) => a.mediaId),
  ]);
  const media = Object.fromEntries(Object.entries(c.media).filter(([id]) => used.has(id)));

  return {
    widthPx: canvas.width,
    heightPx: canvas.height,
    fps,
    durationFrames,
    layers,
    audio,
    media,
    warnings: warnings.list,
  };
}

function canvasSize(draft: Draft, warnings: WarningSink): SizePx {
  const width = draft.canvas_config?.width;
  const height = draft.canvas_config?.height;
  if (width && height && width > 0 && height > 0) {
    return { width: Math.round(width), height: Math.round(height) };
  }
  warnings.add(
    'canvas-size-missing',
    `canvas_config size missing: ${DEFAULT_CANVAS.width}x${DEFAULT_CANVAS.height} used`,
  );
  return DEFAULT_CANVAS;
}

function compileTrack(c: Compiler, track: DraftTrack, trackIndex: number): void {
  const skipCode = SKIPPED_TRACK_TYPES[track.type];
  // Time order, so "later segments over earlier" and transitions' "next segment" are well defined.
  const segments = track.segments
    .map((segment, i) => ({ segment, i }))
    .sort((a, b) => a.segment.target_timerange.start - b.segment.target_timerange.start || a.i - b.i)
    .map((e) => e.segment);

  if (!['video', 'audio', 'text'].includes(track.type)) {
    for (const segment of segments) {
      if (skipCode) c.warnings.add(skipCode, `${track.type} segment not drawn`, segment.id);
      else c.warnings.add('track-type-unknown', `track type "${track.type}" not drawn`, segment.id);
    }
    return;
  }

  const muted = isTrackMuted(track);
  if (muted && track.type !== 'text' && segments.length > 0) {
    c.warnings.add('track-muted', `track ${track.id || trackIndex} is muted: its sound is left out`);
  }

  const trackLayers: TrackLayer[] = [];
  segments.forEach((segment, segmentIndex) => {
    const layer = compileSegment(c, track, segment, muted);
    if (layer) {
      const placed = { layer, segment, key: drawOrderKey(segment, track, trackIndex, segmentIndex) };
      trackLayers.push(placed);
      c.layers.push(placed);
    }
  });
  applyTransitions(trackLayers, c.index, c.fps, (id, code, message) => c.warnings.add(code, message, id));
}

/** One segment → its visual layer (returned) and/or its audio clip (pushed). */
function compileSegment(
  c: Compiler,
  track: DraftTrack,
  segment: DraftSegment,
  trackMuted: boolean,
): VisualLayer | null {
  const warn = (code: WarningCode, message: string) => c.warnings.add(code, message, segment.id);
  if (!segment.visible) {
    warn('segment-hidden', 'hidden segment (visible: false) skipped');
    return null;
  }
  const window = segmentFrames(segment.target_timerange.start, segment.target_timerange.duration, c.fps);
  if (window.durationFrames <= 0) {
    warn('segment-empty', 'segment shorter than a frame skipped');
    return null;
  }
  const entry = c.index.get(segment.material_id);
  if (!entry) {
    warn('material-missing', `material ${segment.material_id || '(none)'} not found: segment skipped`);
    return null;
  }

  extraMaterialWarnings(segment.extra_material_refs, c.index, warn);
  if (segment.keyframe_refs.length > 0) warn('keyframe-skipped', 'old-style keyframe_refs not drawn');

  let playbackRate = segment.speed;
  if (!Number.isFinite(playbackRate) || playbackRate <= 0) {
    warn('speed-invalid', `speed ${playbackRate} unusable: 1 used`);
    playbackRate = 1;
  }

  switch (track.type) {
    case 'text':
      return compileText(c, segment, entry, window, warn);
    case 'audio':
      compileAudio(c, segment, entry, window, playbackRate, trackMuted, warn);
      return null;
    default:
      return compileMedia(c, segment, entry, window, playbackRate, trackMuted, warn);
  }
}

type Warn = (code: WarningCode, message: string) => void;
type Window = { fromFrame: number; durationFrames: number };

function compileMedia(
  c: Compiler,
  segment: DraftSegment,
  entry: MaterialEntry,
  window: Window,
  playbackRate: number,
  trackMuted: boolean,
  warn: Warn,
): VisualLayer | null {
  const material = materialIn(entry, 'videos');
  if (!material) {
    const code: WarningCode = entry.list === 'drafts' ? 'compound-skipped' : 'material-unsupported';
    warn(code, `a ${entry.list} material on a video track is not drawn`);
    return null;
  }
  const media = registerMedia(c, mediaRefForVideo(material, c.ctx));
  if (segment.reverse) warn('reverse-skipped', 'reversed playback not supported: played forward');
  if (hasCrop(material)) warn('crop-skipped', 'material crop not applied');

  const { geometry, volumeKeyframes } = segmentGeometry(segment, c.canvas, c.fps, warn);
  const layer = mediaLayer({
    segment,
    media,
    window,
    box: mediaBox(media, c.canvas, warn),
    geometry,
    playbackRate,
  });

  // A video's own sound; photos and GIFs have none.
  if (media.kind === 'video' && media.hasAudio !== false && !trackMuted) {
    const clip = audioClipFor({
      segment,
      mediaId: media.id,
      ...window,
      playbackRate,
      fps: c.fps,
      volumeKeyframes,
      fade: findExtra(segment.extra_material_refs, c.index, 'audio_fades'),
    });
    if (clip) c.audio.push(clip);
  }
  return layer;
}

function compileAudio(
  c: Compiler,
  segment: DraftSegment,
  entry: MaterialEntry,
  window: Window,
  playbackRate: number,
  trackMuted: boolean,
  warn: Warn,
): void {
  const audioMaterial = materialIn(entry, 'audios');
  const videoMaterial = materialIn(entry, 'videos');
  let media: MediaRef;
  if (audioMaterial) media = mediaRefForAudio(audioMaterial, c.ctx);
  else if (videoMaterial) media = mediaRefForVideo(videoMaterial, c.ctx);
  else {
    warn('material-unsupported', `a ${entry.list} material on an audio track is not played`);
    return;
  }
  if (trackMuted) return;
  const { volumeKeyframes } = segmentGeometry(segment, c.canvas, c.fps, warn);
  const clip = audioClipFor({
    segment,
    mediaId: media.id,
    ...window,
    playbackRate,
    fps: c.fps,
    volumeKeyframes,
    fade: findExtra(segment.extra_material_refs, c.index, 'audio_fades'),
  });
  if (clip) {
    registerMedia(c, media);
    c.audio.push(clip);
  }
}

function compileText(
  c: Compiler,
  segment: DraftSegment,
  entry: MaterialEntry,
  window: Window,
  warn: Warn,
): VisualLayer | null {
  const material = materialIn(entry, 'texts');
  if (!material) {
    const code: WarningCode = entry.list === 'text_templates' ? 'text-template-skipped' : 'material-unsupported';
    warn(code, `a ${entry.list} material on a text track is not drawn`);
    return null;
  }
  const { block, fonts } = textBlockFor(material, c.canvas, warn);
  for (const font of fonts) {
    c.warnings.add('font-substituted', `font "${font}" drawn with ${FONT_FAMILY}`);
  }
  if (block.runs.every((r) => r.text.trim() === '')) {
    warn('segment-empty', 'text without characters skipped');
    return null;
  }
  const { geometry } = segmentGeometry(segment, c.canvas, c.fps, warn);
  return textLayer({ segment, window, canvas: c.canvas, geometry, text: block });
}

function registerMedia(c: Compiler, ref: MediaRef): MediaRef {
  c.media[ref.id] ??= ref;
  return c.media[ref.id];
}

/** `crop` corners (0..1, origin top-left) of an uncropped material. */
const FULL_FRAME_CROP: Record<string, number> = {
  upper_left_x: 0,
  upper_left_y: 0,
  upper_right_x: 1,
  upper_right_y: 0,
  lower_left_x: 0,
  lower_left_y: 1,
  lower_right_x: 1,
  lower_right_y: 1,
};

/** True when the material's `crop` is not the full frame. */
function hasCrop(material: Record<string, unknown>): boolean {
  const crop = material.crop;
  if (typeof crop !== 'object' || crop === null) return false;
  return Object.entries(FULL_FRAME_CROP).some(([k, v]) => {
    const value = (crop as Record<string, unknown>)[k];
    return typeof value === 'number' && Math.abs(value - v) > 1e-6;
  });
}

function cutLayers(layers: VisualLayer[], maxFrames: number): VisualLayer[] {
  return layers
    .filter((l) => l.fromFrame < maxFrames)
    .map((l) => {
      const durationFrames = Math.min(l.durationFrames, maxFrames - l.fromFrame);
      if (durationFrames === l.durationFrames) return l;
      const cut = { ...l, durationFrames };
      if (cut.transitionOut && cut.transitionOut.startFrame >= durationFrames) delete cut.transitionOut;
      return cut;
    });
}

function cutAudio(audio: AudioClip[], maxFrames: number): AudioClip[] {
  return audio
    .filter((a) => a.fromFrame < maxFrames)
    .map((a) => ({ ...a, durationFrames: Math.min(a.durationFrames, maxFrames - a.fromFrame) }));
}
