import { describe, expect, it } from 'vitest';
import { parseDraft } from '../../src/draft/schema';
import { parseLegacyMarkup } from '../../src/timeline/text-markup';
import { fontSizePx, rangeIndexToCodePoint, textBlockFor } from '../../src/timeline/text';
import type { WarningCode } from '../../src/timeline/warnings';
import { rawDraft } from './draft-builder';

const canvas = { width: 1080, height: 1920 };

/** A text material as parseDraft returns it. */
function material(fields: Record<string, unknown>) {
  const d = parseDraft(rawDraft({ tracks: [], materials: { texts: [{ id: 'm', type: 'text', ...fields }] } }));
  return d.materials.texts[0];
}

function block(fields: Record<string, unknown>) {
  const warnings: WarningCode[] = [];
  const result = textBlockFor(material(fields), canvas, (code) => warnings.push(code));
  return { ...result.block, fonts: result.fonts, warnings };
}

const jsonContent = (text: string, styles: unknown[]) => JSON.stringify({ text, styles });
const fill = (color: number[], alpha = 1) => ({ alpha: 1, content: { render_type: 'solid', solid: { alpha, color } } });

describe('font size', () => {
  it('is size × canvas width / 160', () => {
    expect(fontSizePx(8, 1080)).toBe(54);
    expect(fontSizePx(10, 1080)).toBe(67.5);
    expect(fontSizePx(7, 1920)).toBe(84);
  });
});

describe('shape 1: JSON content', () => {
  it('reads styles, sizes and float colours (pyJianYingDraft demo)', () => {
    const b = block({
      content: jsonContent('据说pyJianYingDraft效果还不错?', [
        { fill: fill([1, 1, 0]), range: [0, 23], size: 8, bold: false, italic: false, underline: false, strokes: [] },
      ]),
      alignment: 0,
      line_spacing: 0.02,
      line_max_width: 0.82,
      check_flag: 7,
    });
    expect(b.runs).toEqual([
      {
        text: '据说pyJianYingDraft效果还不错?',
        fontFamily: 'Noto Sans SC',
        fontWeight: 400,
        fontSizePx: 54,
        italic: false,
        underline: false,
        color: '#ffff00',
      },
    ]);
    expect(b.align).toBe('left');
    expect(b.lineHeight).toBeCloseTo(1.02, 9);
    expect(b.maxWidthPx).toBeCloseTo(885.6, 9);
    expect(b.vertical).toBe(false);
  });

  it('splits runs by range, fills gaps from flat fields, reads strokes and bold', () => {
    const b = block({
      content: jsonContent('红色和蓝色', [
        { fill: fill([1, 0, 0]), range: [0, 2], size: 10, bold: true, strokes: [{ content: { solid: { alpha: 1, color: [0, 0, 0] } }, width: 0.08 }] },
        { fill: fill([0, 0, 1], 0.5), range: [3, 5], size: 8 },
      ]),
      text_color: '#00FF00',
      font_size: 6,
      letter_spacing: 0.1,
    });
    expect(b.runs.map((r) => [r.text, r.color, r.fontSizePx, r.fontWeight])).toEqual([
      ['红色', '#ff0000', 67.5, 700],
      ['和', '#00ff00', 40.5, 400],
      ['蓝色', 'rgba(0, 0, 255, 0.5)', 54, 400],
    ]);
    expect(b.runs[0].stroke).toEqual({ color: '#000000', widthPx: 0.08 * 67.5 });
    expect(b.runs[2].stroke).toBeUndefined();
    expect(b.letterSpacingPx).toBeCloseTo(6.75, 9);
  });

  it('handles ranges in UTF-16 units and in code points (emoji)', () => {
    const text = 'a😀b';
    // code points: a, 😀, b (3); UTF-16: a, \ud83d, \ude00, b (4)
    const utf16 = block({ content: jsonContent(text, [{ fill: fill([1, 0, 0]), range: [0, 3] }, { fill: fill([0, 0, 1]), range: [3, 4] }]) });
    expect(utf16.runs.map((r) => [r.text, r.color])).toEqual([
      ['a😀', '#ff0000'],
      ['b', '#0000ff'],
    ]);
    const codePoints = block({ content: jsonContent(text, [{ fill: fill([1, 0, 0]), range: [0, 2] }, { fill: fill([0, 0, 1]), range: [2, 3] }]) });
    expect(codePoints.runs.map((r) => [r.text, r.color])).toEqual([
      ['a😀', '#ff0000'],
      ['b', '#0000ff'],
    ]);
    // Out-of-range ends are clamped.
    const clamped = block({ content: jsonContent('abc', [{ fill: fill([1, 0, 0]), range: [1, 99] }]) });
    expect(clamped.runs.map((r) => [r.text, r.color])).toEqual([
      ['a', '#ffffff'],
      ['bc', '#ff0000'],
    ]);
  });

  it('maps indices per unit', () => {
    const toCp = rangeIndexToCodePoint('😀😀x', [[0, 5]]);
    expect([0, 2, 4, 5].map(toCp)).toEqual([0, 1, 2, 3]);
    expect(toCp(1)).toBe(1); // inside a surrogate pair → end of that character
    const cp = rangeIndexToCodePoint('😀😀x', [[0, 3]]);
    expect([0, 1, 2, 3].map(cp)).toEqual([0, 1, 2, 3]);
  });
});

describe('shape 2: legacy markup', () => {
  const content =
    '<outline color=(0,0,0,1) width=0.08><size=7><color=(1,0.87059,0,1)><font id="6740435892441190919" path="C:/Fonts/新青年体.ttf">[我的新身份]</font></color></size></outline>';

  it('parses nested tags into spans', () => {
    expect(parseLegacyMarkup(content)).toEqual([
      {
        text: '我的新身份',
        outline: { color: { r: 0, g: 0, b: 0, a: 1 }, width: 0.08 },
        size: 7,
        color: { r: 255, g: 222, b: 0, a: 1 },
        fontId: '6740435892441190919',
        fontPath: 'C:/Fonts/新青年体.ttf',
      },
    ]);
    expect(
      parseLegacyMarkup('<size=5>[a]</size><color=(0,0,1,0.5)>[b]</color>').map((s) => [s.text, s.size, s.color?.b, s.color?.a]),
    ).toEqual([
      ['a', 5, undefined, undefined],
      ['b', undefined, 255, 0.5],
    ]);
  });

  it('lets <size=N> win over font_size and strokes with the outline', () => {
    const b = block({ content, font_size: 15, text_color: '#ffde00', border_color: '#000000', check_flag: 15 });
    expect(b.runs).toHaveLength(1);
    expect(b.runs[0].fontSizePx).toBe(fontSizePx(7, 1080));
    expect(b.runs[0].color).toBe('#ffde00');
    expect(b.runs[0].stroke).toEqual({ color: '#000000', widthPx: 0.08 * fontSizePx(7, 1080) });
    expect(b.fonts).toEqual(['新青年体.ttf']);
  });
});

describe('shape 3: plain text with flat fields', () => {
  it('reads size, colour, alignment and the check_flag switches', () => {
    const b = block({
      content: 'everybody was saying',
      font_size: 5,
      text_color: '#FFFFFF',
      alignment: 2,
      typesetting: 1,
      border_width: 0.1,
      border_color: '#FF0000',
      check_flag: 8 | 32,
      has_shadow: false,
      shadow_color: '#000000',
      shadow_alpha: 0.8,
      shadow_distance: 8,
      shadow_angle: -45,
      shadow_smoothing: 1,
      background_color: '#0000FF',
    });
    const em = fontSizePx(5, 1080);
    expect(b.runs[0]).toMatchObject({ text: 'everybody was saying', fontSizePx: em, color: '#ffffff' });
    expect(b.runs[0].stroke).toEqual({ color: '#ff0000', widthPx: 0.1 * em });
    expect(b.align).toBe('right');
    expect(b.vertical).toBe(true);
    // bit 32 set: shadow on; distance 8 → 0.08 em, down-right at -45°.
    expect(b.shadow?.color).toBe('rgba(0, 0, 0, 0.8)');
    expect(b.shadow?.offsetXPx).toBeCloseTo(0.08 * em * Math.SQRT1_2, 2);
    expect(b.shadow?.offsetYPx).toBeCloseTo(0.08 * em * Math.SQRT1_2, 2);
    // bit 16 not set: no background even though a colour is given.
    expect(b.background).toBeUndefined();
    expect(b.warnings).toContain('text-style-approximated');
  });

  it('uses the fields’ own switches when check_flag is absent (real JianYing subtitle)', () => {
    const b = block({ content: 'and I was like', font_size: 5, border_width: 0.08, border_color: '', has_shadow: false, text_color: '#FFFFFF', alignment: 1 });
    expect(b.runs[0].stroke).toBeUndefined();
    expect(b.shadow).toBeUndefined();
    expect(b.align).toBe('center');
    const bg = block({ content: 'x', background_color: '#000000', background_alpha: 0.5 });
    expect(bg.background?.color).toBe('rgba(0, 0, 0, 0.5)');
  });

  it('defaults: white, size 8, centre, line height 1.02, 0.82 × width', () => {
    const b = block({ content: 'hi' });
    expect(b.runs[0]).toMatchObject({ color: '#ffffff', fontSizePx: 54, fontWeight: 400 });
    expect(b.align).toBe('center');
    expect(b.lineHeight).toBeCloseTo(1.02, 9);
    expect(b.maxWidthPx).toBeCloseTo(0.82 * 1080, 9);
  });
});
