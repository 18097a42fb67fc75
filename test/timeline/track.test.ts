import { describe, expect, it } from 'vitest';
import { constantTrack, isConstant, mapTrack, multiplyTracks, shiftTrack, simplifyTrack, valueAt } from '../../src/timeline/track';

describe('valueAt', () => {
  const t = { frames: [10, 20, 40], values: [0, 1, 3] };
  it('interpolates linearly and holds outside', () => {
    expect(valueAt(t, 0)).toBe(0);
    expect(valueAt(t, 10)).toBe(0);
    expect(valueAt(t, 15)).toBe(0.5);
    expect(valueAt(t, 20)).toBe(1);
    expect(valueAt(t, 30)).toBe(2);
    expect(valueAt(t, 40)).toBe(3);
    expect(valueAt(t, 1000)).toBe(3);
    expect(valueAt(t, 12.5)).toBe(0.25);
  });
  it('reads constants and empty tracks', () => {
    expect(valueAt(constantTrack(7), 123)).toBe(7);
    expect(valueAt({ frames: [], values: [] }, 3)).toBe(0);
  });
});

describe('track helpers', () => {
  it('shifts key frames', () => {
    expect(shiftTrack({ frames: [0, 10], values: [1, 2] }, 7)).toEqual({ frames: [7, 17], values: [1, 2] });
  });
  it('multiplies at the union of key frames', () => {
    const a = { frames: [0, 10], values: [0, 1] };
    const b = constantTrack(0.5);
    expect(multiplyTracks(a, b)).toEqual({ frames: [0, 10], values: [0, 0.5] });
  });
  it('drops redundant key frames', () => {
    expect(simplifyTrack({ frames: [0, 5, 10], values: [0, 0.5, 1] })).toEqual({ frames: [0, 10], values: [0, 1] });
    expect(simplifyTrack({ frames: [0, 5, 10], values: [2, 2, 2] })).toEqual({ frames: [0], values: [2] });
  });
});

describe('Bézier stretches', () => {
  // CSS ease-in-out between 0 and 10 over 30 frames.
  const eased = { frames: [0, 30], values: [0, 10], curves: [{ x1: 0.42, y1: 0, x2: 0.58, y2: 10 }] };
  it('eases in and out symmetrically through the middle', () => {
    expect(valueAt(eased, 15)).toBeCloseTo(5, 9);
    expect(valueAt(eased, 3)).toBeLessThan(0.5);
    expect(valueAt(eased, 27)).toBeGreaterThan(9.5);
    expect(valueAt(eased, 3) + valueAt(eased, 27)).toBeCloseTo(10, 9);
  });
  it('matches cubic-bezier(0.42, 0, 1, 1) (CSS ease-in) at a known point', () => {
    // x(s) = 3(1−s)²s·0.42 + 3(1−s)s² + s³ at s = 0.5: 0.1575 + 0.375 + 0.125 = 0.6575; y(0.5) = 0.5.
    const easeIn = { frames: [0, 100], values: [0, 1], curves: [{ x1: 0.42, y1: 0, x2: 1, y2: 1 }] };
    expect(valueAt(easeIn, 65.75)).toBeCloseTo(0.5, 6);
  });
  it('may overshoot between equal values, so such a track is not constant', () => {
    const bump = { frames: [0, 10], values: [1, 1], curves: [{ x1: 0.3, y1: 2, x2: 0.7, y2: 2 }] };
    expect(valueAt(bump, 5)).toBeCloseTo(1.75, 9);
    expect(isConstant(bump)).toBe(false);
    expect(simplifyTrack(bump)).toBe(bump);
  });
  it('keeps curves when shifted and mapped; multiplies by sampling every frame', () => {
    expect(shiftTrack(eased, 5)).toEqual({ ...eased, frames: [5, 35] });
    expect(mapTrack(eased, (v) => 2 * v + 1).curves).toEqual([{ x1: 0.42, y1: 1, x2: 0.58, y2: 21 }]);
    const product = multiplyTracks(eased, constantTrack(0.5));
    expect(product.frames.length).toBeGreaterThan(20);
    expect(valueAt(product, 7)).toBeCloseTo(valueAt(eased, 7) * 0.5, 9);
  });
});
