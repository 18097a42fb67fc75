import { describe, expect, it } from 'vitest';
import { keyframesToTrack, segmentKeyframeTracks } from '../../src/timeline/keyframes';
import type { WarningCode } from '../../src/timeline/warnings';

const kf = (time_offset: number, values: number[], curveType = 'Line') => ({ time_offset, values, curveType });
const canvas = { width: 1080, height: 1920 };

function tracks(groups: { property_type: string; keyframe_list: ReturnType<typeof kf>[] }[], uniformScale = false) {
  const warnings: [WarningCode, string][] = [];
  const out = segmentKeyframeTracks(groups, { fps: 30, canvas, uniformScale }, (c, m) => warnings.push([c, m]));
  return { out, warnings };
}

describe('keyframesToTrack', () => {
  it('sorts and de-duplicates by time, the last one winning', () => {
    const t = keyframesToTrack(
      [kf(1_000_000, [3]), kf(0, [1]), kf(500_000, [2]), kf(1_000_000, [4]), kf(0, [0])],
      30,
      (v) => v[0],
    );
    expect(t).toEqual({ frames: [0, 15, 30], values: [0, 2, 4] });
  });
  it('merges key frames that round to the same frame (later wins)', () => {
    expect(keyframesToTrack([kf(0, [1]), kf(10_000, [2])], 30, (v) => v[0])).toEqual({ frames: [0], values: [2] });
  });
  it('gives null for nothing usable', () => {
    expect(keyframesToTrack([], 30, (v) => v[0])).toBeNull();
    expect(keyframesToTrack([kf(0, [])], 30, (v) => v[0])).toBeNull();
  });
});

describe('segmentKeyframeTracks', () => {
  it('reads KFTypeScale as two values [sx, sy]', () => {
    const { out } = tracks([{ property_type: 'KFTypeScale', keyframe_list: [kf(0, [1, 2]), kf(1_000_000, [1.5, 3])] }]);
    expect(out.scaleX).toEqual({ frames: [0, 30], values: [1, 1.5] });
    expect(out.scaleY).toEqual({ frames: [0, 30], values: [2, 3] });
  });

  it('applies KFTypeScaleX to both axes when uniform scale is on', () => {
    const groups = [{ property_type: 'KFTypeScaleX', keyframe_list: [kf(0, [1]), kf(2_000_000, [2])] }];
    expect(tracks(groups, true).out.scaleY).toEqual({ frames: [0, 60], values: [1, 2] });
    expect(tracks(groups, false).out.scaleY).toBeUndefined();
    expect(tracks(groups, false).out.scaleX).toEqual({ frames: [0, 60], values: [1, 2] });
  });

  it('converts position key frames with the y-up rule', () => {
    const { out } = tracks([
      { property_type: 'KFTypePositionX', keyframe_list: [kf(0, [0]), kf(1_000_000, [0.5])] },
      { property_type: 'KFTypePositionY', keyframe_list: [kf(0, [0]), kf(1_000_000, [-0.8])] },
    ]);
    expect(out.centerXPx).toEqual({ frames: [0, 30], values: [540, 810] });
    expect(out.centerYPx?.frames).toEqual([0, 30]);
    expect(out.centerYPx?.values[0]).toBe(960);
    expect(out.centerYPx?.values[1]).toBeCloseTo(1728, 9);
  });

  it('reads alpha, rotation and volume; leaves colour key frames to the picture filters', () => {
    const { out, warnings } = tracks([
      { property_type: 'KFTypeAlpha', keyframe_list: [kf(0, [0]), kf(500_000, [1])] },
      { property_type: 'KFTypeRotation', keyframe_list: [kf(0, [0]), kf(1_000_000, [90])] },
      { property_type: 'KFTypeVolume', keyframe_list: [kf(0, [1]), kf(1_000_000, [0])] },
      { property_type: 'KFTypeSaturation', keyframe_list: [kf(0, [0.5])] },
      { property_type: 'KFTypeMystery', keyframe_list: [kf(0, [1])] },
    ]);
    expect(out.opacity).toEqual({ frames: [0, 15], values: [0, 1] });
    expect(out.rotationDeg).toEqual({ frames: [0, 30], values: [0, 90] });
    expect(out.volume).toEqual({ frames: [0, 30], values: [1, 0] });
    // KFTypeSaturation is drawn by filters.ts; only the unknown property is reported.
    expect(warnings).toEqual([['keyframe-skipped', 'KFTypeMystery key frames are not drawn']]);
  });

  it('draws non-linear curves linearly, with a warning', () => {
    const { out, warnings } = tracks([
      { property_type: 'KFTypeAlpha', keyframe_list: [kf(0, [0], 'Bezier'), kf(500_000, [1])] },
    ]);
    expect(out.opacity).toEqual({ frames: [0, 15], values: [0, 1] });
    expect(warnings.map((w) => w[0])).toEqual(['keyframe-curve-approximated']);
  });
});
