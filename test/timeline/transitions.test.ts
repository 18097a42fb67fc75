import { describe, expect, it } from 'vitest';
import { compileTimeline } from '../../src/timeline/compile';
import { transitionSplit } from '../../src/timeline/transitions';
import { valueAt } from '../../src/timeline/track';
import type { VideoLayer } from '../../src/timeline/types';
import { draft, segment, video } from './draft-builder';

const transition = { id: 'tr', name: '叠化', duration: 500_000, is_overlap: true, effect_id: '1', resource_id: '2' };

function twoClips(opts: { speed?: number; sourceStartUs?: number; keyframes?: boolean; gapUs?: number } = {}) {
  return compileTimeline(
    draft({
      tracks: [
        {
          id: 't',
          type: 'video',
          segments: [
            segment('a', 'v', 0, 2_000_000, { extra_material_refs: ['tr'] }),
            segment('b', 'v', 2_000_000 + (opts.gapUs ?? 0), 2_000_000, {
              speed: opts.speed ?? 1,
              source_timerange: { start: opts.sourceStartUs ?? 3_000_000, duration: 2_000_000 * (opts.speed ?? 1) },
              common_keyframes: opts.keyframes
                ? [{ property_type: 'KFTypeAlpha', keyframe_list: [{ time_offset: 0, values: [0] }, { time_offset: 1_000_000, values: [1] }] }]
                : [],
            }),
          ],
        },
      ],
      materials: { videos: [video('v')], transitions: [transition] },
    }),
  );
}

describe('transitions', () => {
  it('splits a 15-frame window 7 before / 8 after the cut', () => {
    expect(transitionSplit(15)).toEqual({ leadInFrames: 7, tailFrames: 8 });
    expect(transitionSplit(16)).toEqual({ leadInFrames: 8, tailFrames: 8 });
  });

  it('centres a 500 ms window on the cut without shortening the timeline', () => {
    const tl = twoClips();
    const [a, b] = tl.layers as VideoLayer[];
    // cut at frame 60; window 15 frames: [53, 68)
    expect(a.fromFrame).toBe(0);
    expect(a.durationFrames).toBe(68);
    expect(a.transitionOut).toEqual({ name: '叠化', kind: 'crossfade', startFrame: 53, durationFrames: 15 });
    expect(b.fromFrame).toBe(53);
    expect(b.durationFrames).toBe(67);
    expect(b.transitionIn).toEqual({ name: '叠化', kind: 'crossfade', startFrame: 0, durationFrames: 15 });
    // both windows are the same absolute frames
    expect(a.fromFrame + a.transitionOut!.startFrame).toBe(b.fromFrame + b.transitionIn!.startFrame);
    expect(tl.durationFrames).toBe(120);
    expect(tl.warnings).toContainEqual({ segmentId: 'a', code: 'transition-approximated', message: expect.stringContaining('叠化') });
    // the incoming layer is drawn over the outgoing one
    expect(tl.layers.map((l) => l.id)).toEqual(['a', 'b']);
  });

  it('moves the incoming source start back by the lead-in × speed, clamped at 0', () => {
    expect((twoClips().layers[1] as VideoLayer).sourceStartSec).toBeCloseTo(3 - 7 / 30, 9);
    expect((twoClips({ speed: 2 }).layers[1] as VideoLayer).sourceStartSec).toBeCloseTo(3 - (7 / 30) * 2, 9);
    expect((twoClips({ sourceStartUs: 100_000 }).layers[1] as VideoLayer).sourceStartSec).toBe(0);
  });

  it('shifts the incoming layer’s key frames with it', () => {
    const b = twoClips({ keyframes: true }).layers[1];
    expect(b.geometry.opacity).toEqual({ frames: [7, 37], values: [0, 1] });
    expect(valueAt(b.geometry.opacity, 7)).toBe(0);
  });

  it('skips a transition without an adjacent next segment', () => {
    const tl = twoClips({ gapUs: 1_000_000 });
    expect(tl.layers[0].transitionOut).toBeUndefined();
    expect(tl.layers[1].transitionIn).toBeUndefined();
    expect(tl.warnings.map((w) => w.code)).toContain('transition-skipped');
  });

  it('keeps audio at the segment window', () => {
    const tl = twoClips();
    expect(tl.audio.map((a) => [a.id, a.fromFrame, a.durationFrames])).toEqual([
      ['a', 0, 60],
      ['b', 60, 60],
    ]);
  });
});
