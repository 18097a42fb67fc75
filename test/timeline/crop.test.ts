import { describe, expect, it } from 'vitest';
import { compileTimeline } from '../../src/timeline/compile';
import { croppedBox, cropRect } from '../../src/timeline/crop';
import type { WarningCode } from '../../src/timeline/warnings';
import { draft, segment, video } from './draft-builder';

const corners = (l: number, t: number, r: number, b: number) => ({
  upper_left_x: l,
  upper_left_y: t,
  upper_right_x: r,
  upper_right_y: t,
  lower_left_x: l,
  lower_left_y: b,
  lower_right_x: r,
  lower_right_y: b,
});

function crop(value: unknown) {
  const warnings: WarningCode[] = [];
  return { rect: cropRect({ crop: value }, (c) => warnings.push(c)), warnings };
}

describe('cropRect', () => {
  it('reads the corners as a rectangle of fractions', () => {
    expect(crop(corners(0, 0, 0.5, 1))).toEqual({ rect: { x: 0, y: 0, width: 0.5, height: 1 }, warnings: [] });
    expect(crop(corners(0.25, 0.1, 0.75, 0.6)).rect).toEqual({ x: 0.25, y: 0.1, width: 0.5, height: 0.5 });
  });

  it('gives nothing for no crop or the full frame', () => {
    expect(crop(undefined)).toEqual({ rect: undefined, warnings: [] });
    expect(crop(corners(0, 0, 1, 1))).toEqual({ rect: undefined, warnings: [] });
  });

  it('draws a rotated crop as its bounding rectangle, with a warning', () => {
    const skewed = { ...corners(0.2, 0.2, 0.8, 0.8), upper_left_x: 0.1, lower_right_y: 0.9 };
    const { rect, warnings } = crop(skewed);
    expect(rect).toEqual({ x: 0.1, y: 0.2, width: expect.closeTo(0.7, 9), height: expect.closeTo(0.7, 9) });
    expect(warnings).toEqual(['crop-approximated']);
  });

  it('skips broken crops with a warning', () => {
    expect(crop({ upper_left_x: 0.5 })).toEqual({ rect: undefined, warnings: ['crop-skipped'] });
    expect(crop(corners(0.5, 0, 0.5, 1))).toEqual({ rect: undefined, warnings: ['crop-skipped'] });
  });
});

describe('cropped box: JianYing fits the cropped picture into the canvas', () => {
  it('contain-fits the cropped size', () => {
    // Left half of 1280×720 is 640×720; into 1080×1920: factor min(1.6875, 2.667) → 1080×1215.
    expect(croppedBox({ width: 1280, height: 720 }, { x: 0, y: 0, width: 0.5, height: 1 }, { width: 1080, height: 1920 })).toEqual({
      width: 1080,
      height: 1215,
    });
  });

  it('puts the crop on the layer and sizes its box from it', () => {
    const tl = compileTimeline(
      draft({
        tracks: [{ type: 'video', segments: [segment('s', 'v', 0, 1_000_000)] }],
        materials: { videos: [video('v', { crop: corners(0, 0, 0.5, 1) })] },
      }),
    );
    expect(tl.layers[0]).toMatchObject({ crop: { x: 0, y: 0, width: 0.5, height: 1 }, boxPx: { width: 1080, height: 1215 } });
    expect(tl.warnings).toEqual([]);
  });
});
