/**
 * Draft → Timeline: every JianYing rule applied once, in frames and pixels, with a warning for
 * everything skipped or approximated. The rules themselves live in the small modules imported here.
 */
import type { Draft, DraftSegment, DraftTrack } from '../draft/schema';
import type { DraftContext } from '../draft/types';
import { GenVideoError } from '../errors';
import { applyAnimations } from './animations';
import { audible, clockSoundClips, gainTrack, isTrackMuted } from './audio';
import { backgroundFor } from './backgrounds';
import { croppedBox, cropRect } from './crop';
import { extraMaterialWarnings, findExtra } from './extra-materials';
import { containFit, type SizePx } from './geometry';
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
import { checkDraftLimits, type DraftLimits } from './limits';
import { maxOf } from './numbers';
import { pictureEffects, PICTURE_LISTS, shiftPictureTracks } from './picture-effects';
import { segmentSpeed, type SegmentSpeed } from './segment-speed';
import { SOUND_PIECE_TOLERANCE_SEC } from './source-time';
import { stickerMedia } from './stickers';
import { textBlockFor } from './text';
import { DEFAULT_FPS, segmentFrames, usableFps, usToSeconds } from './time';
import { applyTransitions, type TrackLayer } from './transitions';
import type { AudioClip, Background, MediaRef, Timeline, Track, VisualLayer } from './types';
import { createWarningSink, type WarningCode, type WarningSink } from './warnings';

export interface CompileOptions {
  /** Keep only the first N seconds (previews, bench). */
  maxSeconds?: number;
  /** Checked before anything else; default DEFAULT_LIMITS. */
  limits?: DraftLimits;
}

const DEFAULT_CANVAS: SizePx = { width: 1920, height: 1080 };

/** Track types that carry no picture or sound we draw yet. */
const SKIPPED_TRACK_TYPES: Record<string, WarningCode> = {
  effect: 'effect-skipped',
  filter: 'filter-skipped',
  adjust: 'adjust-skipped',
};

interface Placed extends TrackLayer {
  key: DrawOrderKey;
}

/** A video layer's own sound, made once transitions have moved the layer (its clock, its ends). */
interface PendingSound {
  mediaId: string;
  gain: Track;
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
  /** The first video track: only its segments get canvas backgrounds. */
  mainTrack?: DraftTrack;
  backgrounds: Background[];
  sounds: WeakMap<VisualLayer, PendingSound>;
}

export function compileTimeline(draft: Draft, ctx: DraftContext = {}, opts: CompileOptions = {}): Timeline {
  checkDraftLimits(draft, opts.limits);
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
    mainTrack: draft.tracks.find((t) => t.type === 'video'),
    backgrounds: [],
    sounds: new WeakMap(),
  };

  draft.tracks.forEach((track, trackIndex) => compileTrack(c, track, trackIndex));

  if (c.layers.length === 0 && c.audio.length === 0) {
    throw new GenVideoError('DRAFT_EMPTY', 'no visible or audible segment in the draft');
  }

  let layers = c.layers.sort((a, b) => compareDrawOrder(a.key, b.key)).map((p) => p.layer);
  let audio = c.audio;
  let backgrounds = c.backgrounds;
  if (opts.maxSeconds !== undefined && Number.isFinite(opts.maxSeconds) && opts.maxSeconds > 0) {
    const maxFrames = Math.max(1, Math.round(opts.maxSeconds * fps));
    layers = cutLayers(layers, maxFrames);
    audio = cutAudio(audio, maxFrames);
    backgrounds = cutBackgrounds(backgrounds, maxFrames);
  }

  // The draft's own `duration` is not trusted: the segments say how long the video is.
  const durationFrames = Math.max(0, maxOf([...layers.map((l) => l.fromFrame + l.durationFrames), ...audio.map((a) => a.fromFrame + a.durationFrames)]));

  // Keep only the media still used after cutting.
  const used = new Set([
    ...layers.flatMap((l) => ('mediaId' in l ? [l.mediaId] : [])),
    ...audio.map((a) => a.mediaId),
    ...backgrounds.flatMap((b) => (b.mediaId ? [b.mediaId] : [])),
  ]);
  const media = Object.fromEntries(Object.entries(c.media).filter(([id]) => used.has(id)));

  return {
    widthPx: canvas.width,
    heightPx: canvas.height,
    fps,
    durationFrames,
    ...(backgrounds.length > 0 ? { backgrounds } : {}),
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
    // H.264 in 4:2:0 needs even sides: an odd canvas grows by a pixel rather than failing the encode.
    const even = { width: 2 * Math.ceil(Math.round(width) / 2), height: 2 * Math.ceil(Math.round(height) / 2) };
    if (even.width !== width || even.height !== height) {
      warnings.add('canvas-size-odd', `canvas ${width}x${height} drawn as ${even.width}x${even.height} (H.264 needs even sides)`);
    }
    return even;
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

  if (!['video', 'audio', 'text', 'sticker'].includes(track.type)) {
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
      const animations = findExtra(segment.extra_material_refs, c.index, 'material_animations');
      if (animations) {
        applyAnimations(layer, animations, c, (code, message) => c.warnings.add(code, message, segment.id));
      }
      const placed = { layer, segment, key: drawOrderKey(segment, track, trackIndex, segmentIndex) };
      trackLayers.push(placed);
      c.layers.push(placed);
    }
  });
  const placedFrom = trackLayers.map((t) => t.layer.fromFrame);
  applyTransitions(trackLayers, c.index, c.fps, (id, code, message) => c.warnings.add(code, message, id));
  trackLayers.forEach(({ layer }, i) => {
    // A transition's lead-in moves a layer's start; its picture filters' key frames move with it.
    shiftPictureTracks(layer, placedFrom[i] - layer.fromFrame);
    // A video's sound plays on the layer's clock over the whole layer, transition windows included.
    const sound = c.sounds.get(layer);
    if (sound && layer.kind === 'video') {
      const clips = clockSoundClips({
        id: layer.id,
        mediaId: sound.mediaId,
        clock: layer,
        fromFrame: layer.fromFrame,
        durationFrames: layer.durationFrames,
        fps: c.fps,
        gain: sound.gain,
        segmentFromFrame: placedFrom[i],
      });
      c.audio.push(...clips);
      reportCurveSound(c, layer.id, clips.length);
    }
  });
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

  extraMaterialWarnings(segment.extra_material_refs, c.index, warn, track.type === 'video' ? PICTURE_LISTS : undefined);
  if (segment.keyframe_refs.length > 0) warn('keyframe-skipped', 'old-style keyframe_refs not drawn');

  switch (track.type) {
    case 'text':
      return compileText(c, segment, entry, window, warn);
    case 'audio':
      compileAudio(c, segment, entry, window, segmentSpeed(segment, c.index, window, c.fps, warn), trackMuted, warn);
      return null;
    case 'sticker':
      return compileSticker(c, segment, entry, window, warn);
    default:
      return compileMedia(c, segment, entry, window, segmentSpeed(segment, c.index, window, c.fps, warn), trackMuted, warn, track === c.mainTrack);
  }
}

type Warn = (code: WarningCode, message: string) => void;
type Window = { fromFrame: number; durationFrames: number };

function compileMedia(
  c: Compiler,
  segment: DraftSegment,
  entry: MaterialEntry,
  window: Window,
  speed: SegmentSpeed,
  trackMuted: boolean,
  warn: Warn,
  isMainTrack: boolean,
): VisualLayer | null {
  const material = materialIn(entry, 'videos');
  if (!material) {
    const code: WarningCode = entry.list === 'drafts' ? 'compound-skipped' : 'material-unsupported';
    warn(code, `a ${entry.list} material on a video track is not drawn`);
    return null;
  }
  const media = registerMedia(c, mediaRefForVideo(material, c.ctx));
  if (segment.reverse) warn('reverse-skipped', 'reversed playback not supported: played forward');
  const crop = cropRect(material, warn);
  const box = croppedBox({ width: media.widthPx, height: media.heightPx }, crop, c.canvas) ?? mediaBox(media, c.canvas, warn);

  const { geometry, volumeKeyframes } = segmentGeometry(segment, c.canvas, c.fps, warn);
  const layer = mediaLayer({ segment, media, window, box, geometry, speed });
  Object.assign(layer, crop ? { crop } : {}, pictureEffects({ segment, index: c.index, box, fps: c.fps, warn }));

  const canvasMaterial = isMainTrack ? findExtra(segment.extra_material_refs, c.index, 'canvases') : undefined;
  const background =
    canvasMaterial &&
    backgroundFor({
      canvasMaterial,
      segment,
      media,
      crop,
      window,
      speed,
      canvas: c.canvas,
      ctx: c.ctx,
      registerMedia: (ref) => registerMedia(c, ref),
      warn,
    });
  if (background) c.backgrounds.push(background);

  // A video's own sound; photos and GIFs have none.
  if (layer.kind === 'video' && media.hasAudio !== false && !trackMuted) {
    const gain = gainTrack({
      volume: segment.volume,
      volumeKeyframes,
      fade: findExtra(segment.extra_material_refs, c.index, 'audio_fades'),
      durationFrames: window.durationFrames,
      fps: c.fps,
    });
    if (audible(gain)) c.sounds.set(layer, { mediaId: media.id, gain });
  }
  return layer;
}

function compileAudio(
  c: Compiler,
  segment: DraftSegment,
  entry: MaterialEntry,
  window: Window,
  speed: SegmentSpeed,
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
  const gain = gainTrack({
    volume: segment.volume,
    volumeKeyframes,
    fade: findExtra(segment.extra_material_refs, c.index, 'audio_fades'),
    durationFrames: window.durationFrames,
    fps: c.fps,
  });
  if (!audible(gain)) return;
  registerMedia(c, media);
  const clock = { sourceStartSec: usToSeconds(segment.source_timerange?.start ?? 0), ...speed };
  const clips = clockSoundClips({ id: segment.id, mediaId: media.id, clock, ...window, fps: c.fps, gain, segmentFromFrame: window.fromFrame });
  c.audio.push(...clips);
  reportCurveSound(c, segment.id, clips.length);
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
  const { start: startUs, duration: durationUs } = segment.target_timerange;
  const { block, fontSubstitutions } = textBlockFor(material, c.canvas, warn, {
    timing: { fps: c.fps, startUs, durationUs },
  });
  for (const message of fontSubstitutions) c.warnings.add('font-substituted', message);
  if (block.runs.every((r) => r.text.trim() === '')) {
    warn('segment-empty', 'text without characters skipped');
    return null;
  }
  const { geometry } = segmentGeometry(segment, c.canvas, c.fps, warn);
  return textLayer({ segment, window, canvas: c.canvas, geometry, text: block });
}

/** A sticker with a picture URL → an image layer; others are reported (stickers.ts). */
function compileSticker(
  c: Compiler,
  segment: DraftSegment,
  entry: MaterialEntry,
  window: Window,
  warn: Warn,
): VisualLayer | null {
  if (entry.list !== 'stickers') {
    warn('material-unsupported', `a ${entry.list} material on a sticker track is not drawn`);
    return null;
  }
  const name = String(entry.item.name || entry.item.resource_id || entry.item.id);
  const ref = stickerMedia(entry.item);
  if (!ref) {
    warn('sticker-skipped', `sticker "${name}" has no picture URL: not drawn`);
    return null;
  }
  warn('sticker-approximated', `sticker "${name}" drawn as a still picture from its preview image, size estimated`);
  const media = registerMedia(c, ref);
  const { geometry } = segmentGeometry(segment, c.canvas, c.fps, warn);
  // Without a known size the picture is contained in a canvas-sized box: the same contain fit.
  const known = containFit({ width: media.widthPx, height: media.heightPx }, c.canvas);
  const layer = mediaLayer({ segment, media, window, box: known ?? { ...c.canvas }, geometry, speed: { playbackRate: 1 } });
  if (!known && layer.kind === 'image') layer.fit = 'contain';
  return layer;
}

/** A speed curve's sound is played in pieces of one speed each: how JianYing plays it is not measured. */
function reportCurveSound(c: Compiler, segmentId: string, pieces: number): void {
  if (pieces <= 1) return;
  c.warnings.add(
    'speed-curve-sound-approximated',
    `the speed curve's sound is played in ${pieces} pieces of one speed each (within ${SOUND_PIECE_TOLERANCE_SEC * 1000} ms of the picture, pitch kept): estimated`,
    segmentId,
  );
}

function registerMedia(c: Compiler, ref: MediaRef): MediaRef {
  c.media[ref.id] ??= ref;
  return c.media[ref.id];
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

function cutBackgrounds(backgrounds: Background[], maxFrames: number): Background[] {
  return backgrounds
    .filter((b) => b.fromFrame < maxFrames)
    .map((b) => ({ ...b, durationFrames: Math.min(b.durationFrames, maxFrames - b.fromFrame) }));
}

function cutAudio(audio: AudioClip[], maxFrames: number): AudioClip[] {
  return audio
    .filter((a) => a.fromFrame < maxFrames)
    .map((a) => ({ ...a, durationFrames: Math.min(a.durationFrames, maxFrames - a.fromFrame) }));
}
