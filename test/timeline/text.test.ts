import { describe, expect, it } from 'vitest';
import { parseDraft } from '../../src/draft/schema';
import { parseLegacyMarkup } from '../../src/timeline/text-markup';
import { fontSizePx, rangeIndexToCodePoint, shadowPx, textBlockFor } from '../../src/timeline/text';
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
  return { ...result.block, fonts: result.fontSubstitutions, warnings };
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
    expect(b.fonts).toEqual(['font "新青年体" drawn with Noto Sans SC Black (closest shipped font)']);
    expect(b.runs[0]).toMatchObject({ fontFamily: 'Noto Sans SC', fontWeight: 900 });
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

describe('legacy markup: several runs and colours', () => {
  it('keeps each [..] run with the tags around it', () => {
    const b = block({
      content: '<size=6><color=(1,0,0,1)>[红色]</color><color=(0,1,0,1)>[绿色][!]</color></size>',
    });
    // size 6 on a 1080-wide canvas: 6 × 1080 / 160 = 40.5 px.
    expect(b.runs.map((r) => [r.text, r.color, r.fontSizePx])).toEqual([
      ['红色', '#ff0000', 40.5],
      ['绿色', '#00ff00', 40.5],
      ['!', '#00ff00', 40.5],
    ]);
  });
});

describe('JSON ranges in UTF-16 units (capcut-mate) with an emoji first', () => {
  it('maps [0,2) to the emoji and [2,3) to the next character', () => {
    // '👍好': 2 code points, 3 UTF-16 units; the last range ends at 3 = the UTF-16 length.
    const b = block({
      content: jsonContent('👍好', [
        { fill: fill([1, 0, 0]), range: [0, 2] },
        { fill: fill([0, 0, 1]), range: [2, 3] },
      ]),
    });
    expect(b.runs.map((r) => [r.text, r.color])).toEqual([
      ['👍', '#ff0000'],
      ['好', '#0000ff'],
    ]);
  });

  it('an empty strokes list means no stroke, even with flat border fields on', () => {
    const b = block({
      content: jsonContent('无描边', [{ fill: fill([1, 1, 1]), range: [0, 3], strokes: [] }]),
      border_color: '#FF0000',
      border_width: 0.1,
      check_flag: 15,
    });
    expect(b.runs[0].stroke).toBeUndefined();
  });

  it('reads a JSON shadow: diffuse is stored as UI value / 600', () => {
    const b = block({
      content: jsonContent('影', [
        { fill: fill([1, 1, 1]), range: [0, 1], size: 8, shadows: [{ diffuse: 0.025, alpha: 0.5, distance: 10, angle: 0, content: { solid: { color: [1, 0, 0] } } }] },
      ]),
    });
    // em 54; distance 10 → 5.4 px to the right (angle 0); diffuse 0.025 × 6 = 0.15 → blur 0.15 × 0.2 × 54 = 1.62.
    expect(b.shadow).toEqual({ color: 'rgba(255, 0, 0, 0.5)', offsetXPx: 5.4, offsetYPx: 0, blurPx: 1.62 });
  });
});

describe('shadow vector from angle and distance', () => {
  const spec = (angleDeg: number, distance: number) => ({ color: { r: 0, g: 0, b: 0, a: 1 }, distance, angleDeg, smoothing: 0.5 });
  it('is distance / 100 × em along the angle, y up', () => {
    // em 100: distance 10 → 10 px. 90° points up (negative y on the canvas).
    expect(shadowPx(spec(90, 10), 100)).toEqual({ color: '#000000', offsetXPx: 0, offsetYPx: -10, blurPx: 10 });
    // JianYing's default −45°: down-right, 10 / √2 = 7.07 each way.
    expect(shadowPx(spec(-45, 10), 100)).toMatchObject({ offsetXPx: 7.07, offsetYPx: 7.07 });
    expect(shadowPx(spec(180, 8), 50)).toMatchObject({ offsetXPx: -4, offsetYPx: 0 });
  });
});

describe('flat fields: check_flag switches, background box, opacity, underline', () => {
  it('draws the background only with bit 16, padding from background_width/height', () => {
    const fields = {
      content: '背景',
      font_size: 8,
      background_color: '#0000FF',
      background_alpha: 0.5,
      background_width: 0.2,
      background_height: 0.1,
      background_round_radius: 1,
      has_shadow: true,
    };
    const on = block({ ...fields, check_flag: 7 | 16 });
    // em 54: padding 0.2 × 54 = 10.8 across, 0.1 × 54 = 5.4 down; radius 1 = half a one-line box:
    // (1.02 × 54 + 2 × 5.4) / 2 = 32.94.
    expect(on.background).toEqual({ color: 'rgba(0, 0, 255, 0.5)', paddingPx: 10.8, paddingYPx: 5.4, radiusPx: 32.94 });
    // check_flag present without bit 32: has_shadow alone does not switch the shadow on.
    expect(on.shadow).toBeUndefined();
    expect(block({ ...fields, check_flag: 7 }).background).toBeUndefined();
    // No check_flag: the fields' own switches (a colour, has_shadow) decide.
    const noFlag = block(fields);
    expect(noFlag.background).toBeDefined();
    expect(noFlag.shadow).toBeDefined();
  });

  it('uses the default padding where 4.x drafts write 1.0', () => {
    const b = block({ content: 'x', font_size: 8, background_color: '#000000', background_width: 1, background_height: 1 });
    expect(b.background?.paddingPx).toBeCloseTo(0.14 * 54, 2);
    expect(b.background?.paddingYPx).toBeUndefined();
  });

  it('global_alpha (bit 4) fades the whole text', () => {
    expect(block({ content: 'x', global_alpha: 0.5, check_flag: 7 }).opacity).toBe(0.5);
    expect(block({ content: 'x', global_alpha: 0.5, check_flag: 3 }).opacity).toBeUndefined();
    expect(block({ content: 'x', global_alpha: 1 }).opacity).toBeUndefined();
  });

  it('underline geometry from underline_width / underline_offset × em', () => {
    const b = block({ content: 'u', font_size: 8, underline: true });
    expect(b.runs[0]).toMatchObject({ underline: true, underlineThicknessPx: 2.7, underlineOffsetPx: 11.88 });
    expect(block({ content: 'u' }).runs[0].underlineThicknessPx).toBeUndefined();
  });

  it('bold_width and JSON bold raise the weight', () => {
    expect(block({ content: 'b', bold_width: 0.6 }).runs[0].fontWeight).toBe(700);
    expect(block({ content: jsonContent('b', [{ range: [0, 1], bold: true }]) }).runs[0].fontWeight).toBe(700);
  });
});

describe('layout: wrapping, vertical text, alignment', () => {
  it('wraps subtitles and forced texts at line_max_width, not plain texts', () => {
    expect(block({ content: 'x', type: 'subtitle' }).wrap).toBe(true);
    expect(block({ content: 'x', type: 'text' }).wrap).toBe(false);
    expect(block({ content: 'x', type: 'text', force_apply_line_max_width: true }).wrap).toBe(true);
  });

  it('vertical text is limited by the canvas height', () => {
    const b = block({ content: '竖排', typesetting: 1, line_max_width: 0.5 });
    expect(b.vertical).toBe(true);
    expect(b.maxWidthPx).toBe(960);
  });

  it('unknown alignment values are drawn centred, with a warning', () => {
    const b = block({ content: 'x', alignment: 3 });
    expect(b.align).toBe('center');
    expect(b.warnings).toContain('text-style-approximated');
  });
});

describe('karaoke words', () => {
  const timing = { fps: 30, startUs: 2_000_000, durationUs: 1_000_000 };
  const karaoke = (fields: Record<string, unknown>) => {
    const warnings: string[] = [];
    const r = textBlockFor(material(fields), canvas, (_, m) => warnings.push(m), { timing });
    return { runs: r.block.runs, warnings };
  };

  it('cuts runs at word edges and gives each word its frames (ms from the segment start)', () => {
    const { runs } = karaoke({
      content: '你好世界',
      ktv_color: '#FF0000FF',
      words: { start_time: [0, 500], end_time: [500, 1000], text: ['你好', '世界'] },
    });
    // 500 ms at 30 fps = frame 15.
    expect(runs.map((r) => [r.text, r.color, r.highlight])).toEqual([
      ['你好', '#ffffff', { color: '#ff0000', fromFrame: 0, toFrame: 15 }],
      ['世界', '#ffffff', { color: '#ff0000', fromFrame: 15, toFrame: 30 }],
    ]);
  });

  it('recognises timeline milliseconds and keeps styles across word cuts', () => {
    const { runs } = karaoke({
      content: jsonContent('ab cd', [
        { fill: fill([0, 0, 1]), range: [0, 4] },
        { fill: fill([0, 1, 0]), range: [4, 5] },
      ]),
      ktv_color: '#FFFF00',
      words: { start_time: [2000, 2500], end_time: [2500, 3000], text: ['ab', 'cd'] },
    });
    expect(runs.map((r) => [r.text, r.color, r.highlight?.fromFrame])).toEqual([
      ['ab', '#0000ff', 0],
      [' ', '#0000ff', undefined],
      ['c', '#0000ff', 15],
      ['d', '#00ff00', 15],
    ]);
  });

  it('draws no highlight without ktv_color, and warns when times do not fit', () => {
    const words = { start_time: [0], end_time: [500], text: ['你好'] };
    expect(karaoke({ content: '你好', words }).runs[0].highlight).toBeUndefined();
    const late = karaoke({ content: '你好', ktv_color: '#FF0000', words: { start_time: [9e9], end_time: [9e9 + 1], text: ['你好'] } });
    expect(late.runs[0].highlight).toBeUndefined();
    expect(late.warnings.join()).toMatch(/karaoke/);
  });
});
