import { describe, expect, it } from 'vitest';
import { fadeTrack, gainTrack, isTrackMuted } from '../../src/timeline/audio';
import { compileTimeline } from '../../src/timeline/compile';
import { valueAt } from '../../src/timeline/track';
import { audio, draft, segment, video } from './draft-builder';

describe('fades', () => {
  it('ramps linearly in and out', () => {
    expect(fadeTrack(30, 15, 150)).toEqual({ frames: [0, 30, 135, 150], values: [0, 1, 1, 0] });
    expect(fadeTrack(30, 0, 150)).toEqual({ frames: [0, 30], values: [0, 1] });
    expect(fadeTrack(0, 0, 150)).toEqual({ frames: [0], values: [1] });
  });
  it('shortens fades longer than the clip in proportion', () => {
    expect(fadeTrack(90, 30, 60)).toEqual({ frames: [0, 45, 60], values: [0, 1, 0] });
  });
});

describe('gain', () => {
  it('is volume × fade (pyJianYingDraft demo: 0.6, 1 s fade-in)', () => {
    const gain = gainTrack({
      volume: 0.6,
      fade: { id: 'f', fade_in_duration: 1_000_000, fade_out_duration: 0 },
      durationFrames: 150,
      fps: 30,
    });
    expect(gain).toEqual({ frames: [0, 30], values: [0, 0.6] });
    expect(valueAt(gain, 15)).toBeCloseTo(0.3, 9);
  });

  it('is volume × KFTypeVolume key frames × fades', () => {
    const gain = gainTrack({
      volume: 2,
      volumeKeyframes: { frames: [0, 60], values: [1, 0.5] },
      fade: { id: 'f', fade_in_duration: 0, fade_out_duration: 500_000 },
      durationFrames: 60,
      fps: 30,
    });
    expect(gain.frames).toEqual([0, 45, 60]);
    expect(gain.values[0]).toBe(2);
    expect(gain.values[1]).toBeCloseTo(2 * 0.625, 9);
    expect(gain.values[2]).toBe(0);
  });
});

describe('audio clips', () => {
  const materials = { videos: [video('v')], audios: [audio('a')], audio_fades: [{ id: 'fade', fade_in_duration: 1_000_000, fade_out_duration: 500_000 }] };

  it('come from audio tracks and video sound, with fades and volume key frames', () => {
    const tl = compileTimeline(
      draft({
        tracks: [
          { id: 'tv', type: 'video', segments: [segment('sv', 'v', 0, 2_000_000, { volume: 0.5 })] },
          {
            id: 'ta',
            type: 'audio',
            segments: [
              segment('sa', 'a', 1_000_000, 3_000_000, {
                extra_material_refs: ['fade'],
                source_timerange: { start: 2_000_000, duration: 3_000_000 },
                common_keyframes: [{ property_type: 'KFTypeVolume', keyframe_list: [{ time_offset: 0, values: [1] }, { time_offset: 3_000_000, values: [0.5] }] }],
              }),
            ],
          },
        ],
        materials,
      }),
    );
    expect(tl.audio.map((a) => a.id)).toEqual(['sv', 'sa']);
    expect(tl.audio[0].gain).toEqual({ frames: [0], values: [0.5] });
    const sa = tl.audio[1];
    expect(sa).toMatchObject({ mediaId: 'a', fromFrame: 30, durationFrames: 90, sourceStartSec: 2, playbackRate: 1 });
    expect(sa.gain.frames).toEqual([0, 30, 75, 90]);
    expect(sa.gain.values[0]).toBe(0);
    expect(sa.gain.values[1]).toBeCloseTo(1 - 0.5 * (30 / 90), 9);
    expect(sa.gain.values[2]).toBeCloseTo(1 - 0.5 * (75 / 90), 9);
    expect(sa.gain.values[3]).toBe(0);
    expect(tl.media.a.kind).toBe('audio');
  });

  it('skip muted tracks (attribute bit 0 or muted: true) and volume 0', () => {
    expect(isTrackMuted({ attribute: 1 })).toBe(true);
    expect(isTrackMuted({ attribute: 2 })).toBe(false);
    expect(isTrackMuted({ attribute: 3 })).toBe(true);
    expect(isTrackMuted({ muted: true })).toBe(true);
    const tl = compileTimeline(
      draft({
        tracks: [
          { id: 'tv', type: 'video', attribute: 1, segments: [segment('sv', 'v', 0, 1_000_000)] },
          { id: 'ta', type: 'audio', muted: true, segments: [segment('sa', 'a', 0, 1_000_000)] },
          { id: 'tb', type: 'audio', segments: [segment('sb', 'a', 0, 1_000_000, { volume: 0 })] },
        ],
        materials,
      }),
    );
    expect(tl.audio).toEqual([]);
    expect(tl.layers.map((l) => l.id)).toEqual(['sv']); // a muted track still draws its picture
    expect(tl.warnings.filter((w) => w.code === 'track-muted')).toHaveLength(2);
  });

  it('leave out the sound of photos, GIFs and videos without audio', () => {
    const tl = compileTimeline(
      draft({
        tracks: [
          {
            id: 'tv',
            type: 'video',
            segments: [
              segment('p', 'photo', 0, 1_000_000),
              segment('g', 'gif', 1_000_000, 1_000_000),
              segment('n', 'silent', 2_000_000, 1_000_000),
            ],
          },
        ],
        materials: {
          videos: [
            { id: 'photo', type: 'photo', path: '/a.png', width: 10, height: 10 },
            { id: 'gif', type: 'video', path: '/a.gif', width: 10, height: 10 },
            { id: 'silent', type: 'video', path: '/a.mp4', width: 10, height: 10, has_audio: false },
          ],
        },
      }),
    );
    expect(tl.layers.map((l) => l.kind)).toEqual(['image', 'gif', 'video']);
    expect(tl.audio).toEqual([]);
  });
});
