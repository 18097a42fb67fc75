/**
 * A draft segment → one visual layer: its geometry (static clip values, overridden by key frames)
 * and its kind-specific fields.
 */
import type { DraftSegment } from '../draft/schema';
import { containFit, halfCanvasToPixels, type SizePx } from './geometry';
import { segmentKeyframeTracks } from './keyframes';
import type { SegmentSpeed } from './segment-speed';
import { constantTrack } from './track';
import { usToSeconds } from './time';
import type {
  Geometry,
  GifLayer,
  ImageLayer,
  MediaRef,
  TextBlock,
  TextLayer,
  Track,
  VideoLayer,
} from './types';
import type { WarningCode } from './warnings';

type Warn = (code: WarningCode, message: string) => void;

export interface SegmentGeometry {
  geometry: Geometry;
  /** KFTypeVolume key frames, for the segment's sound. */
  volumeKeyframes?: Track;
}

export function segmentGeometry(
  segment: DraftSegment,
  canvas: SizePx,
  fps: number,
  warn: Warn,
): SegmentGeometry {
  const { clip } = segment;
  const kf = segmentKeyframeTracks(
    segment.common_keyframes,
    { fps, canvas, uniformScale: segment.uniform_scale?.on === true },
    warn,
  );
  const centre = halfCanvasToPixels(clip.transform.x, clip.transform.y, canvas);
  return {
    geometry: {
      centerXPx: kf.centerXPx ?? constantTrack(centre.xPx),
      centerYPx: kf.centerYPx ?? constantTrack(centre.yPx),
      scaleX: kf.scaleX ?? constantTrack(clip.scale.x),
      scaleY: kf.scaleY ?? constantTrack(clip.scale.y),
      rotationDeg: kf.rotationDeg ?? constantTrack(clip.rotation),
      opacity: kf.opacity ?? constantTrack(clip.alpha),
      flipX: clip.flip.horizontal,
      flipY: clip.flip.vertical,
    },
    ...(kf.volume ? { volumeKeyframes: kf.volume } : {}),
  };
}

interface Window {
  fromFrame: number;
  durationFrames: number;
}

/** Contain-fit box of a media file; the canvas when its size is unknown. */
export function mediaBox(media: MediaRef, canvas: SizePx, warn: Warn): SizePx {
  const box = containFit({ width: media.widthPx, height: media.heightPx }, canvas);
  if (box) return box;
  warn('media-size-unknown', `size of "${media.name}" unknown: fitted to the canvas`);
  return { width: canvas.width, height: canvas.height };
}

export function mediaLayer(args: {
  segment: DraftSegment;
  media: MediaRef;
  window: Window;
  box: SizePx;
  geometry: Geometry;
  speed: SegmentSpeed;
}): VideoLayer | ImageLayer | GifLayer {
  const base = {
    id: args.segment.id,
    fromFrame: args.window.fromFrame,
    durationFrames: args.window.durationFrames,
    boxPx: args.box,
    geometry: args.geometry,
    mediaId: args.media.id,
  };
  switch (args.media.kind) {
    case 'photo':
      return { kind: 'image', ...base };
    case 'gif':
      return { kind: 'gif', ...base };
    default:
      return {
        kind: 'video',
        ...base,
        sourceStartSec: usToSeconds(args.segment.source_timerange?.start ?? 0),
        playbackRate: args.speed.playbackRate,
        ...(args.speed.speedCurve ? { speedCurve: args.speed.speedCurve } : {}),
      };
  }
}

/** Text is centred on its centre point by the engine, so its box is simply the canvas. */
export function textLayer(args: {
  segment: DraftSegment;
  window: Window;
  canvas: SizePx;
  geometry: Geometry;
  text: TextBlock;
}): TextLayer {
  return {
    kind: 'text',
    id: args.segment.id,
    fromFrame: args.window.fromFrame,
    durationFrames: args.window.durationFrames,
    boxPx: { width: args.canvas.width, height: args.canvas.height },
    geometry: args.geometry,
    text: args.text,
  };
}
