/**
 * Audio (draft-format.md §9): clips from audio-track segments and from the sound of video
 * segments. Gain = segment volume × KFTypeVolume key frames × linear fade-in/out (audio_fades).
 */
import type { AudioFadeMaterial } from '../draft/schema';
import { clockPieces } from './source-time';
import { constantTrack, mapTrack, multiplyTracks, shiftTrack, simplifyTrack } from './track';
import { usToFrames } from './time';
import type { AudioClip, SourceClock, Track } from './types';

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
    gain = mapTrack(args.volumeKeyframes, (v) => Math.max(0, v) * volume);
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

/** Whether a gain lets anything be heard. */
export const audible = (gain: Track): boolean => gain.values.some((v) => v > 0);

/**
 * The sound of a source played on a clock (source-time.ts), as clips of one speed each: the
 * same source moments as its picture on every frame, a speed curve in short pieces. The gain
 * is the segment's (frame 0 = `segmentFromFrame`, absolute), so fades and volume key frames stay
 * where the segment has them when a transition plays the sound on past its ends.
 *
 * JianYing (draft-format.md §12): in a transition window both clips' sounds play, each at its
 * own volume, for the whole window (two in-phase tones sum to +6 dB); there is no cross-fade.
 * So a video's sound runs over its whole layer, lead-in and tail included; only frames frozen
 * for want of source are silent.
 */
export function clockSoundClips(args: {
  id: string;
  mediaId: string;
  clock: SourceClock;
  /** Absolute frame of the clock's frame 0, and how many frames it runs. */
  fromFrame: number;
  durationFrames: number;
  fps: number;
  gain: Track;
  segmentFromFrame: number;
}): AudioClip[] {
  const pieces = clockPieces(args.clock, args.durationFrames, args.fps);
  return pieces.map((piece, i) => {
    const fromFrame = args.fromFrame + piece.fromFrame;
    return {
      id: pieces.length > 1 ? `${args.id}#${i}` : args.id,
      mediaId: args.mediaId,
      fromFrame,
      durationFrames: piece.durationFrames,
      sourceStartSec: piece.sourceStartSec,
      playbackRate: piece.playbackRate,
      gain: shiftTrack(args.gain, args.segmentFromFrame - fromFrame),
    };
  });
}
