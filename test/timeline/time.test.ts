import { describe, expect, it } from 'vitest';
import { segmentFrames, usableFps, usToFrames } from '../../src/timeline/time';

describe('µs → frames', () => {
  it('rounds to the nearest frame', () => {
    expect(usToFrames(766_667, 30)).toBe(23);
    expect(usToFrames(766_666, 30)).toBe(23);
    expect(usToFrames(1_000_000, 30)).toBe(30);
    expect(usToFrames(16_666, 30)).toBe(0);
    expect(usToFrames(16_667, 30)).toBe(1);
    expect(usToFrames(1_000_000, 29.97)).toBe(30);
  });

  it('never gaps or overlaps adjacent segments', () => {
    // Three segments of 0.766667 s back to back, as JianYing stores them.
    const a = segmentFrames(0, 766_667, 30);
    const b = segmentFrames(766_667, 766_666, 30);
    const c = segmentFrames(1_533_333, 766_667, 30);
    expect(a).toEqual({ fromFrame: 0, durationFrames: 23 });
    expect(a.fromFrame + a.durationFrames).toBe(b.fromFrame);
    expect(b.fromFrame + b.durationFrames).toBe(c.fromFrame);
    expect(c.fromFrame + c.durationFrames).toBe(69);
    // Awkward µs values still tile.
    let end = 0;
    for (let start = 0; start < 10_000_000; start += 333_337) {
      const w = segmentFrames(start, 333_337, 25);
      expect(w.fromFrame).toBe(end);
      end = w.fromFrame + w.durationFrames;
    }
  });

  it('accepts float and non-integer fps, rejects unusable ones', () => {
    expect(usableFps(30.0)).toBe(30);
    expect(usableFps(29.97002997)).toBe(29.97);
    expect(usableFps(undefined)).toBeNull();
    expect(usableFps(0)).toBeNull();
    expect(usableFps(-25)).toBeNull();
    expect(usableFps(Number.NaN)).toBeNull();
    expect(usableFps(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
