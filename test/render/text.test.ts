// A caption at y = -0.8 (y up: near the bottom) draws white text pixels in the lower part only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DraftBuilder } from '../helpers/draft-builder';
import { makeColorClip, tempDir } from '../helpers/media';
import { frameAt, type Frame } from '../helpers/probe';
import { renderServedDraft } from './render-helpers';

const W = 360;
const H = 640;

const whitePixels = (f: Frame, y0: number, y1: number): number => {
  let n = 0;
  for (let y = y0; y < y1; y += 2) {
    for (let x = 0; x < f.width; x += 2) {
      const [r, g, b] = f.at(x, y);
      if (r > 200 && g > 200 && b > 200) n++;
    }
  }
  return n;
};

describe('text: a subtitle at y = -0.8', () => {
  const tmp = tempDir();
  let out: string;

  beforeAll(async () => {
    makeColorClip(`${tmp.dir}/black.mp4`, { color: 'black', width: 64, height: 36, durationSec: 2 });
    const result = await renderServedDraft(tmp.dir, (url) => {
      const d = new DraftBuilder({ width: W, height: H, fps: 30 });
      d.track('video', [
        { materialId: d.video(url('black.mp4'), { width: 64, height: 36, durationUs: 2_000_000 }), startUs: 0, durationUs: 2_000_000 },
      ]);
      d.track('text', [
        // Size 8 on a 360-wide canvas: 18 px em. On from 0.5 s to 1.5 s.
        { materialId: d.text('字幕测试 Subtitle', { size: 8, strokeColor: [0, 0, 0] }), startUs: 500_000, durationUs: 1_000_000, clip: { transform: { x: 0, y: -0.8 } } },
        // Hidden text is left behind by templates and must not be drawn.
        { materialId: d.text('HIDDEN 隐藏', { size: 12 }), startUs: 0, durationUs: 2_000_000, visible: false, clip: { transform: { x: 0, y: 0.5 } } },
      ]);
      return d.toJSON();
    });
    out = result.outPath;
  });
  afterAll(() => tmp.cleanup());

  it('draws white text near the bottom while the caption is on', () => {
    const f = frameAt(out, 1.0);
    // Centre y = H/2·(1+0.8) = 576 px; an 18 px em fits well inside 540..612.
    expect(whitePixels(f, 540, 612)).toBeGreaterThan(40);
    expect(whitePixels(f, 0, 520)).toBe(0);
    expect(whitePixels(f, 620, H)).toBe(0);
  });

  it('draws nothing before the caption starts (and never the hidden text)', () => {
    const f = frameAt(out, 0.2);
    expect(whitePixels(f, 0, H)).toBe(0);
  });
});
