/**
 * Audio (draft-format.md §9): clips from audio-track segments and from the sound of video
 * segments. Gain = segment volume × KFTypeVolume key frames × linear fade-in/out (audio_fades).
 */
import type { AudioFadeMaterial, DraftSegment } from '../draft/schema';
import { constantTrack, multiplyTracks, simplifyTrack } from './track';
import { usToFrames, usToSeconds } from './time';
import type { AudioClip, Track } from './types';

/** Bit 0 of `attribute` (or `muted: true`) mutes a whole track. */
export function isTrackMuted(track: { attribute?: number; muted?: boolean }): boolean {
  return ((track.attribute ?? 0) & 1) === 1 || track.muted === true;
}

/**
 * Linear fade-in from 0 and fade-out to 0 over a clip of `durationFrames`. Fades longer than the
 * clip together are shortened in proportion, so they meet instead of overlapping.
 */
export function fadeTrack(fadeInFrames: number, fadeOutFrames: number, durationFrames: number): Track {
  let fadeIn = Math.max(0, fadeInFrames);
  let fadeOut = Math.max(0, fadeOutFrames);
  if (fadeIn + fadeOut > durationFrames && fadeIn + fadeOut > 0) {
    const k = durationFrames / (fadeIn + fadeOut);
    fadeIn = Math.round(fadeIn * k);
    fadeOut = Math.max(0, durationFrames - fadeIn);
  }
  if (fadeIn === 0 && fadeOut === 0) return constantTrack(1);
  const frames: number[] = [];
  const values: number[] = [];
  const add = (frame: number, value: number) => {
    if (frames.length > 0 && frames[frames.length - 1] === frame) values[values.length - 1] = value;
    else {
      frames.push(frame);
      values.push(value);
    }
  };
  if (fadeIn > 0) add(0, 0);
  add(fadeIn, 1);
  add(durationFrames - fadeOut, 1);
  if (fadeOut > 0) add(durationFrames, 0);
  return simplifyTrack({ frames, values });
}

export function gainTrack(args: {
  volume: number;
  volumeKeyframes?: Track;
  fade?: AudioFadeMaterial;
  durationFrames: number;
  fps: number;
}): Track {
  const volume = Math.max(0, Number.isFinite(args.volume) ? args.volume : 1);
  let gain = constantTrack(volume);
  if (args.volumeKeyframes) {
    gain = {
      frames: args.volumeKeyframes.frames,
      values: args.volumeKeyframes.values.map((v) => Math.max(0, v) * volume),
    };
  }
  if (args.fade) {
    const fade = fadeTrack(
      usToFrames(args.fade.fade_in_duration, args.fps),
      usToFrames(args.fade.fade_out_duration, args.fps),
      args.durationFrames,
    );
    gain = multiplyTracks(gain, fade);
  }
  return simplifyTrack(gain);
}

/** An audio clip for a segment, or null when it would be silent (volume 0). */
export function audioClipFor(args: {
  segment: DraftSegment;
  mediaId: string;
  fromFrame: number;
  durationFrames: number;
  playbackRate: number;
  fps: number;
  volumeKeyframes?: Track;
  fade?: AudioFadeMaterial;
}): AudioClip | null {
  const gain = gainTrack({
    volume: args.segment.volume,
    volumeKeyframes: args.volumeKeyframes,
    fade: args.fade,
    durationFrames: args.durationFrames,
    fps: args.fps,
  });
  if (gain.values.every((v) => v <= 0)) return null;
  return {
    id: args.segment.id,
    mediaId: args.mediaId,
    fromFrame: args.fromFrame,
    durationFrames: args.durationFrames,
    sourceStartSec: usToSeconds(args.segment.source_timerange?.start ?? 0),
    playbackRate: args.playbackRate,
    gain,
  };
}
