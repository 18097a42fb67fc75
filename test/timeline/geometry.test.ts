import { describe, expect, it } from 'vitest';
import { containFit, halfCanvasToPixels } from '../../src/timeline/geometry';

const portrait = { width: 1080, height: 1920 };

describe('halfCanvasToPixels (y up)', () => {
  it('puts y = -0.8 near the bottom and x = 0.5 right of centre', () => {
    expect(halfCanvasToPixels(0, -0.8, portrait).yPx).toBeCloseTo(1728, 9);
    expect(halfCanvasToPixels(0.5, 0, portrait).xPx).toBe(810);
    expect(halfCanvasToPixels(0, 0, portrait)).toEqual({ xPx: 540, yPx: 960 });
    expect(halfCanvasToPixels(-1, 1, portrait)).toEqual({ xPx: 0, yPx: 0 });
    expect(halfCanvasToPixels(1, -1, portrait)).toEqual({ xPx: 1080, yPx: 1920 });
  });
});

describe('containFit', () => {
  it('fits inside the canvas, aspect kept', () => {
    expect(containFit({ width: 1280, height: 720 }, portrait)).toEqual({ width: 1080, height: 607.5 });
    expect(containFit({ width: 720, height: 1280 }, portrait)).toEqual({ width: 1080, height: 1920 });
    expect(containFit({ width: 3072, height: 2048 }, { width: 1920, height: 1440 })).toEqual({ width: 1920, height: 1280 });
    // Small media are scaled up too.
    expect(containFit({ width: 100, height: 100 }, portrait)).toEqual({ width: 1080, height: 1080 });
  });

  it('gives null for unknown sizes', () => {
    expect(containFit({}, portrait)).toBeNull();
    expect(containFit({ width: 0, height: 720 }, portrait)).toBeNull();
    expect(containFit({ width: 1280 }, portrait)).toBeNull();
  });
});
