/**
 * A size a text block cannot outgrow, from its numbers alone (no layout): every character taken
 * as wide as a wide glyph can be, every wrapped line counted with one to spare, glyphs allowed to
 * reach past their line box, then stroke, shadow and box padding added. The compositor has the
 * browser draw text in a window this size around its centre (text layers' boxes are the whole
 * canvas) and checks the drawn tile's edges stay clear.
 */
import type { TextBlock } from '../types';

/** Ideographs, kana, Hangul, full-width forms and emoji: up to one em and a bit. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u;
const WIDE_EM = 1.25;
/** Latin, digits, punctuation: the widest (W, M, @) stay under this. */
const NARROW_EM = 0.9;
/** Glyphs (accents, descenders, tall fallback faces) may reach this far past their line box. */
const OVERHANG_EM = 0.6;

export function textExtentBound(block: TextBlock): { width: number; height: number } {
  const em = Math.max(1, ...block.runs.map((r) => r.fontSizePx));
  const spacing = Math.max(0, block.letterSpacingPx);
  const text = block.runs.map((r) => r.text).join('');
  const lineWidths = text.split('\n').map((line) => Array.from(line).reduce((w, ch) => w + (WIDE.test(ch) ? WIDE_EM : NARROW_EM) * em + spacing, 0));
  const wrap = block.wrap !== false;
  const limit = wrap ? Math.max(block.maxWidthPx, WIDE_EM * em + spacing) : Infinity;
  let lines = 0;
  let inline = 0;
  for (const w of lineWidths) {
    if (w > limit) {
      lines += Math.ceil(w / limit) + 1;
      inline = limit;
    } else {
      lines += 1;
      inline = Math.max(inline, w);
    }
  }
  const stroke = Math.max(0, ...block.runs.map((r) => r.stroke?.widthPx ?? 0));
  const shadow = block.shadow ? Math.max(Math.abs(block.shadow.offsetXPx), Math.abs(block.shadow.offsetYPx)) + 3 * block.shadow.blurPx : 0;
  const padInline = block.background ? (block.vertical ? (block.background.paddingYPx ?? block.background.paddingPx) : block.background.paddingPx) : 0;
  const padBlock = block.background ? (block.vertical ? block.background.paddingPx : (block.background.paddingYPx ?? block.background.paddingPx)) : 0;
  const around = 2 * (stroke + shadow + OVERHANG_EM * em);
  const inlineSize = inline + 2 * padInline + around;
  const blockSize = lines * Math.max(1, block.lineHeight) * em + 2 * padBlock + around;
  return block.vertical ? { width: blockSize, height: inlineSize } : { width: inlineSize, height: blockSize };
}
