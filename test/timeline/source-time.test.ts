import { describe, expect, it } from 'vitest';
import { clockPieces, firstFrameReaching, SOUND_PIECE_TOLERANCE_SEC, playedFrames, shiftClock, sourceFrameIndex, sourceSecAt } from '../../src/timeline/source-time';
import type { SourceClock } from '../../src/timeline/types';

const FPS = 30;
const SAMPLE_POINTS = [
  { x: 0, y: 1 },
  { x: 0.25, y: 1 },
  { x: 0.5, y: 4.375 },
  { x: 0.75, y: 1 },
  { x: 1, y: 1 },
];
const curveClock = (leadSec = 0): SourceClock => ({
  sourceStartSec: 1,
  playbackRate: 1.5,
  speedCurve: { points: SAMPLE_POINTS, sourceSec: 3, durationSec: 2, leadSec },
});

describe('source time: the last source frame at or before the exact source time', () => {
  it('shows source frame n + 6 on frame n for a start of 216 667 µs (6.5 frames) at 30 fps', () => {
    const clock = { sourceStartSec: 0.216667, playbackRate: 1 };
    for (let n = 0; n < 30; n++) expect(sourceFrameIndex(sourceSecAt(clock, n, FPS), 30)).toBe(n + 6);
  });

  it('shows source frame 2n on frame n at speed 2, as JianYing exports it', () => {
    const clock = { sourceStartSec: 0, playbackRate: 2 };
    for (let n = 0; n < 90; n++) expect(sourceFrameIndex(sourceSecAt(clock, n, FPS), 30)).toBe(2 * n);
  });

  it('covers exactly target × speed of source (0.1, 0.5, 8 over 1 s)', () => {
    for (const speed of [0.1, 0.5, 8]) {
      expect(sourceSecAt({ sourceStartSec: 0, playbackRate: speed }, 30, FPS)).toBeCloseTo(speed, 12);
    }
    // JianYing's exports at 1 s: source frames 3, 15 and 240.
    expect([0.1, 0.5, 8].map((speed) => sourceFrameIndex(sourceSecAt({ sourceStartSec: 0, playbackRate: speed }, 30, FPS), 30))).toEqual([3, 15, 240]);
  });

  it('holds the first picture before playback and the last once the source has ended', () => {
    const clock = { sourceStartSec: 2, playbackRate: 1, freezeBeforeFrame: 7, holdFromFrame: 50 };
    expect(playedFrames(clock, 0)).toBe(0);
    expect(sourceSecAt(clock, 3, FPS)).toBe(2);
    expect(sourceSecAt(clock, 8, FPS)).toBeCloseTo(2 + 1 / 30, 12);
    expect(playedFrames(clock, 49)).toBe(42);
    expect(playedFrames(clock, 70)).toBe(42);
  });

  it('finds where a source that ends must start holding', () => {
    const clock = { sourceStartSec: 1.4, playbackRate: 1 };
    // 0.6 s of source left: frames 0..17 play, frame 18 would be past the end.
    expect(firstFrameReaching(clock, 2, FPS, 26)).toBe(18);
    expect(firstFrameReaching(clock, 2, FPS, 18)).toBeUndefined();
    // A curve reaches the end of its source exactly at its last frame boundary.
    expect(firstFrameReaching(curveClock(), 4, FPS, 70)).toBe(60);
  });

  it('is the same clock seen from later frames, for every kind of clock', () => {
    const clocks: SourceClock[] = [
      { sourceStartSec: 1, playbackRate: 2, freezeBeforeFrame: 4, holdFromFrame: 25 },
      { sourceStartSec: 0.3, playbackRate: 0.5 },
      curveClock(),
      { ...curveClock(0.2), freezeBeforeFrame: 3, holdFromFrame: 62 },
    ];
    for (const clock of clocks) {
      for (const skip of [1, 5, 10, 30, 61]) {
        const shifted = shiftClock(clock, skip, FPS);
        for (let f = 0; f < 20; f++) expect(sourceSecAt(shifted, f, FPS)).toBeCloseTo(sourceSecAt(clock, f + skip, FPS), 9);
      }
    }
  });
});

describe('sound pieces of a clock', () => {
  it('is one piece at a constant speed, without the frozen frames', () => {
    expect(clockPieces({ sourceStartSec: 1, playbackRate: 2, freezeBeforeFrame: 4, holdFromFrame: 25 }, 30, FPS)).toEqual([
      { fromFrame: 4, durationFrames: 21, sourceStartSec: 1, playbackRate: 2 },
    ]);
  });

  it('follows a speed curve in pieces that meet its source time at their edges', () => {
    const clock = curveClock();
    const pieces = clockPieces(clock, 60, FPS);
    expect(pieces[0].fromFrame).toBe(0);
    expect(pieces.reduce((n, p) => n + p.durationFrames, 0)).toBe(60);
    // The straight stretches at speed 1 are one piece each; the hump is cut finer.
    expect(pieces.length).toBeGreaterThan(4);
    expect(pieces.length).toBeLessThan(20);
    for (const p of pieces) {
      expect(p.sourceStartSec).toBeCloseTo(sourceSecAt(clock, p.fromFrame, FPS), 9);
      const endSec = p.sourceStartSec + (p.durationFrames / FPS) * p.playbackRate;
      expect(endSec).toBeCloseTo(sourceSecAt({ ...clock, holdFromFrame: undefined }, p.fromFrame + p.durationFrames, FPS), 9);
      for (let f = p.fromFrame; f < p.fromFrame + p.durationFrames; f++) {
        expect(Math.abs(p.sourceStartSec + ((f - p.fromFrame) / FPS) * p.playbackRate - sourceSecAt(clock, f, FPS))).toBeLessThanOrEqual(SOUND_PIECE_TOLERANCE_SEC);
      }
    }
  });
});
