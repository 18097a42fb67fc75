// Text styles drawn for real (one 1 s render, 480×270): colour ranges on the right characters,
// a stroke round white text, a box behind text, colour emoji, real CJK glyphs (not tofu) in the
// default font and a display font, and a karaoke sweep. Layout: test/render/text-styles-draft.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/media';
import { frameAt, type Frame } from '../helpers/probe';
import { renderServedDraft } from './render-helpers';
import { at, FPS, PLACES, textStylesDraft } from './text-styles-draft';

type Rgb = [number, number, number];
type Test = (c: Rgb) => boolean;

const isRed: Test = ([r, g, b]) => r > 140 && g < 90 && b < 90;
const isGreen: Test = ([r, g, b]) => g > 140 && r < 90 && b < 90;
const isBlue: Test = ([r, g, b]) => b > 150 && r < 80 && g < 80;
const isWhite: Test = ([r, g, b]) => r > 200 && g > 200 && b > 200;
/** Emoji yellow: bright, warm, clearly not the white fill or a red stroke. */
const isEmojiYellow: Test = ([r, g, b]) => r > 180 && g > 130 && b < 100 && r - b > 100;

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}
const box = (cx: number, cy: number, halfW: number, halfH: number): Box => ({
  x0: Math.round(cx - halfW),
  x1: Math.round(cx + halfW),
  y0: Math.round(cy - halfH),
  y1: Math.round(cy + halfH),
});

const pixels = (f: Frame, b: Box, test: Test, skip?: Box): [number, number][] => {
  const out: [number, number][] = [];
  for (let y = b.y0; y <= b.y1; y++) {
    for (let x = b.x0; x <= b.x1; x++) {
      if (skip && x >= skip.x0 && x <= skip.x1 && y >= skip.y0 && y <= skip.y1) continue;
      if (test(f.at(x, y))) out.push([x, y]);
    }
  }
  return out;
};
const count = (f: Frame, b: Box, test: Test, skip?: Box) => pixels(f, b, test, skip).length;

/** Bright pixels of a glyph around a centre, as a set of offsets (for comparing shapes). */
const inkMask = (f: Frame, cx: number, cy: number, half: number): Set<string> => {
  const ink = new Set<string>();
  for (let dy = -half; dy <= half; dy++) {
    for (let dx = -half; dx <= half; dx++) {
      const [r, g, b] = f.at(cx + dx, cy + dy);
      if (0.3 * r + 0.59 * g + 0.11 * b > 128) ink.add(`${dx},${dy}`);
    }
  }
  return ink;
};
const shapeDifference = (a: Set<string>, b: Set<string>) => {
  let differ = 0;
  for (const k of a) if (!b.has(k)) differ++;
  for (const k of b) if (!a.has(k)) differ++;
  return differ / Math.max(a.size, b.size, 1);
};

describe('text styles (render)', () => {
  const tmp = tempDir();
  let out: string;
  let mid: Frame;

  beforeAll(async () => {
    out = (await renderServedDraft(tmp.dir, () => textStylesDraft())).outPath;
    mid = frameAt(out, 15 / FPS);
  });
  afterAll(() => tmp.cleanup());

  it('draws each colour range on its own characters', () => {
    // 红红红绿绿绿: 6 × 24 px centred on x = 132; the third and fourth characters meet at x = 132.
    const c = at(PLACES.twoColours.x, PLACES.twoColours.y);
    const left = box(c.x - 38, c.y, 36, 14);
    const right = box(c.x + 38, c.y, 36, 14);
    expect(count(mid, left, isRed)).toBeGreaterThan(30);
    expect(count(mid, right, isGreen)).toBeGreaterThan(30);
    expect(count(mid, left, isGreen)).toBe(0);
    expect(count(mid, right, isRed)).toBe(0);
  });

  it('draws the stroke round the white fill', () => {
    const c = at(PLACES.stroke.x, PLACES.stroke.y);
    const area = box(c.x, c.y, 40, 24);
    const white = pixels(mid, area, isWhite);
    expect(white.length).toBeGreaterThan(30);
    expect(count(mid, area, isRed)).toBeGreaterThan(50);
    // Stroke width 0.12 em = 3.6 px: red lies right next to the white strokes of the glyphs.
    const nearRed = white.filter(([x, y]) => count(mid, box(x, y, 5, 5), isRed) > 0);
    expect(nearRed.length / white.length).toBeGreaterThan(0.3);
  });

  it('draws the background box behind the text and nowhere else', () => {
    // 背景: 48 × 24.5 px, padding 0.3 em = 7.2 px: box ≈ 62 × 39 px centred on (132, 135).
    const c = at(PLACES.background.x, PLACES.background.y);
    const inside = box(c.x, c.y, 28, 16);
    expect(count(mid, inside, isBlue)).toBeGreaterThan(600);
    expect(count(mid, inside, isWhite)).toBeGreaterThan(20);
    const ring = box(c.x, c.y, 48, 34);
    expect(count(mid, ring, isBlue, box(c.x, c.y, 34, 22))).toBe(0);
  });

  it('draws emoji in colour', () => {
    const c = at(PLACES.emoji.x, PLACES.emoji.y);
    expect(count(mid, box(c.x, c.y, 18, 18), isEmojiYellow)).toBeGreaterThan(100);
  });

  it('draws real CJK glyphs (字 and 口 differ), in the default font and in ZCOOL KuaiLe', () => {
    for (const [zi, kou] of [
      [PLACES.sansZi, PLACES.sansKou],
      [PLACES.kuaileZi, PLACES.kuaileKou],
    ]) {
      const a = at(zi.x, zi.y);
      const b = at(kou.x, kou.y);
      const ziInk = inkMask(mid, Math.round(a.x), Math.round(a.y), 20);
      const kouInk = inkMask(mid, Math.round(b.x), Math.round(b.y), 20);
      expect(ziInk.size).toBeGreaterThan(60);
      expect(kouInk.size).toBeGreaterThan(60);
      // Tofu boxes would be the same square twice.
      expect(shapeDifference(ziInk, kouInk)).toBeGreaterThan(0.4);
    }
    // The two fonts draw 字 differently.
    const sans = inkMask(mid, Math.round(at(PLACES.sansZi.x, 0).x), Math.round(at(0, PLACES.sansZi.y).y), 20);
    const kuaile = inkMask(mid, Math.round(at(PLACES.kuaileZi.x, 0).x), Math.round(at(0, PLACES.kuaileZi.y).y), 20);
    expect(shapeDifference(sans, kuaile)).toBeGreaterThan(0.2);
  });

  it('sweeps the karaoke colour over the words in time', () => {
    const c = at(PLACES.karaoke.x, PLACES.karaoke.y);
    const words = box(c.x, c.y, 26, 14);
    const before = frameAt(out, 1 / FPS); // 甲 starts at 0.1 s
    expect(count(before, words, isRed)).toBe(0);
    expect(count(before, words, isWhite)).toBeGreaterThan(20);
    // At 0.5 s 甲 is sung (red) and 乙 starts: red on the left half only.
    expect(count(mid, box(c.x - 12, c.y, 11, 14), isRed)).toBeGreaterThan(20);
    expect(count(mid, box(c.x + 14, c.y, 9, 14), isRed)).toBe(0);
    const after = frameAt(out, 28 / FPS); // both sung by 0.9 s
    expect(count(after, words, isRed)).toBeGreaterThan(40);
    expect(count(after, words, isWhite)).toBe(0);
  });
});
