import { describe, expect, it } from 'vitest';
import { keyframesToTrack, segmentKeyframeTracks } from '../../src/timeline/keyframes';
import { valueAt } from '../../src/timeline/track';
import type { WarningCode } from '../../src/timeline/warnings';

type Handle = { x: number; y: number };
const ZERO = { x: 0, y: 0 };
const kf = (time_offset: number, values: number[], curveType = 'Line', left: Handle = ZERO, right: Handle = ZERO) => ({
  time_offset,
  values,
  curveType,
  left_control: left,
  right_control: right,
});
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

  it('draws curved key frames as the cubic Bézier of their handles', () => {
    // CapCut's "Cubic Out" as its UI stores it: scale 1.0 → 1.3 over 5 s, right handle (1.6 s,
    // +0.282), left handle (−2 s, 0): cubic-bezier(0.32, 0.94, 0.6, 1).
    const { out, warnings } = tracks([
      {
        property_type: 'KFTypeScaleX',
        keyframe_list: [
          kf(0, [1], 'FreeCurveInOut', ZERO, { x: 1_600_000, y: 0.282 }),
          kf(5_000_000, [1.3], 'FreeCurveInOut', { x: -2_000_000, y: 0 }, ZERO),
        ],
      },
    ]);
    expect(warnings).toEqual([]);
    expect(out.scaleX!.frames).toEqual([0, 150]);
    expect(out.scaleX!.curves![0]!.x1).toBeCloseTo(0.32, 12);
    expect(out.scaleX!.curves![0]!.y1).toBeCloseTo(1.282, 12);
    expect(out.scaleX!.curves![0]!.x2).toBeCloseTo(0.6, 12);
    expect(out.scaleX!.curves![0]!.y2).toBeCloseTo(1.3, 12);
    // Half way in time it is most of the way there (an ease-out), at the ends exactly its keys.
    expect(valueAt(out.scaleX!, 75)).toBeGreaterThan(1.25);
    expect(valueAt(out.scaleX!, 0)).toBe(1);
    expect(valueAt(out.scaleX!, 150)).toBe(1.3);
  });

  it('keeps "Line" key frames straight, whatever handles they carry', () => {
    const { out } = tracks([
      { property_type: 'KFTypeAlpha', keyframe_list: [kf(0, [0], 'Line', ZERO, { x: 100_000, y: 0.9 }), kf(500_000, [1])] },
    ]);
    expect(out.opacity).toEqual({ frames: [0, 15], values: [0, 1] });
  });

  it('maps curved positions to pixels with their handles', () => {
    const { out } = tracks([
      {
        property_type: 'KFTypePositionX',
        keyframe_list: [kf(0, [-1], 'FreeCurveIn', ZERO, { x: 420_000, y: 0 }), kf(1_000_000, [1], 'FreeCurveIn')],
      },
    ]);
    // Half-canvas units → pixels: the handle's value −1 is the left edge, 0 px.
    expect(out.centerXPx!.curves![0]).toEqual({ x1: 0.42, y1: 0, x2: 1, y2: 1080 });
  });
});
