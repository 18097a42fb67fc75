import { describe, expect, it } from 'vitest';
import { constantTrack, multiplyTracks, shiftTrack, simplifyTrack, valueAt } from '../../src/timeline/track';

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
