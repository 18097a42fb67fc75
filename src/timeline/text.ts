/**
 * Text materials → TextBlock (draft-format.md §8). Three content shapes are read:
 * 1. a JSON string `{text, styles[{range, size, fill, strokes, shadows, bold, italic, underline}]}`;
 * 2. legacy markup `<outline ..><size=..><color=(r,g,b,a)><font ..>[text]</font>…`;
 * 3. plain text with flat style fields.
 * Flat fields (`font_size`, `text_color`, `border_*`, `shadow_*`, `background_*`, `alignment`, …)
 * fill whatever the content leaves open.
 *
 * Sizes are relative to the em: pixel em = `size × canvasWidth / 160` (calibrated on a real
 * 1080-wide export: size 10 → 67.5 px). Stroke widths (JSON `strokes[].width`, markup
 * `<outline width=0.08>`, flat `border_width`) are fractions of the em: widthPx = width × em, so
 * JianYing's default 0.08 is 5.4 px on a 67.5 px em. Shadow distance is distance / 100 × em.
 */
import type { TextMaterial } from '../draft/schema';
import { parseHexColor, rgbFloats, toCss, withAlpha, type Rgba } from './color';
import type { SizePx } from './geometry';
import { isLegacyMarkup, parseLegacyMarkup } from './text-markup';
import type { TextBlock, TextRun, TextShadow } from './types';
import type { WarningCode } from './warnings';

/** The only font shipped for now; every JianYing font maps to it. */
export const FONT_FAMILY = 'Noto Sans SC';
/** JianYing's size when a text says nothing (pyJianYingDraft's default too). */
const DEFAULT_SIZE = 8;
const DEFAULT_LINE_SPACING = 0.02;
const DEFAULT_LINE_MAX_WIDTH = 0.82;
const DEFAULT_STROKE_WIDTH = 0.08;
/** Approximations (no JianYing source): background padding and shadow blur, in em. */
const BACKGROUND_PADDING_EM = 0.2;
const SHADOW_BLUR_EM_PER_SMOOTHING = 0.1;

const CHECK_STROKE = 8;
const CHECK_BACKGROUND = 16;
const CHECK_SHADOW = 32;

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

/** Pixel em of a JianYing text size on a canvas this wide. */
export function fontSizePx(size: number, canvasWidthPx: number): number {
  return (size * canvasWidthPx) / 160;
}

type Warn = (code: WarningCode, message: string) => void;

/** What one run asks for; anything left undefined comes from the flat fields. */
interface RunStyle {
  size?: number;
  color?: Rgba;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  stroke?: { color: Rgba; width: number };
  font?: string;
}

interface StyledText {
  text: string;
  style: RunStyle;
}

interface ShadowSpec {
  color: Rgba;
  distance: number;
  angleDeg: number;
  smoothing: number;
}

export interface TextResult {
  block: TextBlock;
  /** Font names/paths the text asked for (all drawn with FONT_FAMILY). */
  fonts: string[];
}

export function textBlockFor(material: TextMaterial, canvas: SizePx, warn: Warn): TextResult {
  const content = readContent(material, warn);
  const flat = flatStyle(material);
  const fonts = new Set<string>();
  if (material.font_path || material.font_title) {
    fonts.add(fontLabel(material.font_path || material.font_title || ''));
  }

  const runs: TextRun[] = content.parts.map(({ text, style }) => {
    const size = style.size ?? flat.size;
    const em = fontSizePx(size, canvas.width);
    const stroke = style.stroke ?? flat.stroke;
    if (style.font) fonts.add(fontLabel(style.font));
    return {
      text,
      fontFamily: FONT_FAMILY,
      fontWeight: (style.bold ?? flat.bold) ? 700 : 400,
      fontSizePx: em,
      italic: style.italic ?? flat.italic,
      underline: style.underline ?? flat.underline,
      color: toCss(style.color ?? flat.color),
      ...(stroke && stroke.width > 0
        ? { stroke: { color: toCss(stroke.color), widthPx: stroke.width * em } }
        : {}),
    };
  });

  const baseEm = runs[0]?.fontSizePx ?? fontSizePx(flat.size, canvas.width);
  const shadowSpec = content.shadow ?? flatShadow(material);
  const background = flatBackground(material, baseEm);
  if (shadowSpec) warn('text-style-approximated', 'text shadow blur is approximated');
  if (background) warn('text-style-approximated', 'text background padding is approximated');
  if ((material.bold_width ?? 0) > 0) warn('text-style-approximated', 'bold_width drawn as bold');
  if ((material.italic_degree ?? 0) !== 0) warn('text-style-approximated', 'italic_degree drawn as italic');

  const block: TextBlock = {
    runs,
    align: alignment(material.alignment),
    maxWidthPx: (material.line_max_width ?? DEFAULT_LINE_MAX_WIDTH) * canvas.width,
    lineHeight: 1 + (material.line_spacing ?? DEFAULT_LINE_SPACING),
    letterSpacingPx: (material.letter_spacing ?? 0) * baseEm,
    vertical: material.typesetting === 1,
    ...(shadowSpec ? { shadow: shadowPx(shadowSpec, baseEm) } : {}),
    ...(background ? { background } : {}),
  };
  return { block, fonts: [...fonts].filter(Boolean) };
}

function alignment(value: number | undefined): TextBlock['align'] {
  if (value === 0) return 'left';
  if (value === 2) return 'right';
  return 'center';
}

const fontLabel = (pathOrName: string) => pathOrName.split(/[\\/]/).pop() ?? pathOrName;

// ---------------------------------------------------------------------------------------------
// Flat fields

interface FlatStyle {
  size: number;
  color: Rgba;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  stroke?: { color: Rgba; width: number };
}

/** check_flag bits switch the flat effects on; drafts without check_flag use the fields' own switches. */
function flagOn(m: TextMaterial, bit: number, fallback: boolean): boolean {
  return m.check_flag !== undefined ? (m.check_flag & bit) !== 0 : fallback;
}

function flatStyle(m: TextMaterial): FlatStyle {
  const strokeOn = flagOn(m, CHECK_STROKE, !!m.border_color);
  return {
    size: m.font_size && m.font_size > 0 ? m.font_size : DEFAULT_SIZE,
    color: parseHexColor(m.text_color, m.text_alpha ?? 1) ?? withAlpha(WHITE, m.text_alpha ?? 1),
    bold: (m.bold_width ?? 0) > 0,
    italic: (m.italic_degree ?? 0) !== 0,
    underline: m.underline ?? false,
    ...(strokeOn
      ? {
          stroke: {
            color: parseHexColor(m.border_color, m.border_alpha ?? 1) ?? BLACK,
            width: m.border_width ?? DEFAULT_STROKE_WIDTH,
          },
        }
      : {}),
  };
}

function flatShadow(m: TextMaterial): ShadowSpec | undefined {
  if (!flagOn(m, CHECK_SHADOW, m.has_shadow === true)) return undefined;
  const color = parseHexColor(m.shadow_color, m.shadow_alpha ?? 1) ?? withAlpha(BLACK, m.shadow_alpha ?? 1);
  if (color.a === 0) return undefined;
  return {
    color,
    distance: m.shadow_distance ?? 5,
    angleDeg: m.shadow_angle ?? -45,
    smoothing: m.shadow_smoothing ?? 0.45,
  };
}

function flatBackground(m: TextMaterial, emPx: number): TextBlock['background'] | undefined {
  if (!flagOn(m, CHECK_BACKGROUND, !!m.background_color)) return undefined;
  const color = parseHexColor(m.background_color, m.background_alpha ?? 1);
  if (!color || color.a === 0) return undefined;
  return {
    color: toCss(color),
    paddingPx: BACKGROUND_PADDING_EM * emPx,
    radiusPx: (m.background_round_radius ?? 0) * emPx,
  };
}

/**
 * Shadow in pixels. The angle is in JianYing's y-up convention (-45° = down-right, matching the
 * `shadow_point {x: 1.02, y: -1.02}` stored beside it).
 */
function shadowPx(s: ShadowSpec, emPx: number): TextShadow {
  const distancePx = (s.distance / 100) * emPx;
  const rad = (s.angleDeg * Math.PI) / 180;
  return {
    color: toCss(s.color),
    offsetXPx: round2(distancePx * Math.cos(rad)),
    offsetYPx: round2(-distancePx * Math.sin(rad)),
    blurPx: round2(s.smoothing * SHADOW_BLUR_EM_PER_SMOOTHING * emPx),
  };
}

const round2 = (v: number) => Math.round(v * 100) / 100 || 0;

// ---------------------------------------------------------------------------------------------
// Content shapes

interface Content {
  parts: StyledText[];
  shadow?: ShadowSpec;
}

function readContent(m: TextMaterial, warn: Warn): Content {
  const raw = m.content;
  if (typeof raw === 'object') return jsonContent(raw, warn);
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isObject(parsed) && typeof parsed.text === 'string') return jsonContent(parsed, warn);
    } catch {
      // not JSON after all: plain text
    }
  }
  if (isLegacyMarkup(raw)) return { parts: markupContent(raw) };
  return { parts: raw === '' ? [] : [{ text: raw, style: {} }] };
}

function markupContent(raw: string): StyledText[] {
  return parseLegacyMarkup(raw).map((span) => ({
    text: span.text,
    style: {
      ...(span.size !== undefined ? { size: span.size } : {}),
      ...(span.color ? { color: span.color } : {}),
      ...(span.bold ? { bold: true } : {}),
      ...(span.italic ? { italic: true } : {}),
      ...(span.underline ? { underline: true } : {}),
      ...(span.outline
        ? {
            stroke: {
              color: span.outline.color ?? BLACK,
              width: span.outline.width ?? DEFAULT_STROKE_WIDTH,
            },
          }
        : {}),
      ...(span.fontPath ? { font: span.fontPath } : {}),
    },
  }));
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const numArray = (v: unknown): number[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;

/** `{content: {solid: {color: [r,g,b], alpha}}, alpha}` → colour (null for no solid colour). */
function solidColor(paint: unknown, warn: Warn): Rgba | undefined {
  if (!isObject(paint)) return undefined;
  const content = isObject(paint.content) ? paint.content : undefined;
  const solid = content && isObject(content.solid) ? content.solid : undefined;
  const rgb = solid ? numArray(solid.color) : undefined;
  if (!rgb) {
    if (content && content.render_type && content.render_type !== 'solid') {
      warn('text-style-approximated', `text fill "${String(content.render_type)}" drawn as a solid colour`);
    }
    return undefined;
  }
  const alpha = (num(solid?.alpha) ?? 1) * (num(paint.alpha) ?? 1);
  return rgbFloats(rgb, alpha);
}

function jsonContent(doc: Record<string, unknown>, warn: Warn): Content {
  const text = typeof doc.text === 'string' ? doc.text : '';
  const styles = Array.isArray(doc.styles) ? doc.styles.filter(isObject) : [];
  const chars = Array.from(text);
  const ranges = styles.map((s) => numArray(s.range));
  const toCodePoint = rangeIndexToCodePoint(text, ranges);

  const spans = styles.map((s, i) => {
    const range = ranges[i];
    const start = toCodePoint(range?.[0] ?? 0);
    const end = toCodePoint(range?.[1] ?? chars.length);
    return { start, end, style: jsonRunStyle(s, warn) };
  });

  // Cut the text at every range edge; each piece takes the last style covering it.
  const edges = [...new Set([0, chars.length, ...spans.flatMap((s) => [s.start, s.end])])].sort(
    (a, b) => a - b,
  );
  const parts: StyledText[] = [];
  let lastStyle: RunStyle | undefined;
  for (let i = 0; i < edges.length - 1; i++) {
    const [from, to] = [edges[i], edges[i + 1]];
    if (from >= to) continue;
    const covering = spans.filter((s) => s.start <= from && s.end >= to).pop();
    const style = covering?.style ?? {};
    const piece = chars.slice(from, to).join('');
    if (parts.length > 0 && lastStyle === style) parts[parts.length - 1].text += piece;
    else parts.push({ text: piece, style });
    lastStyle = style;
  }

  const withShadow = styles.find((s) => Array.isArray(s.shadows) && s.shadows.length > 0);
  const shadow = withShadow ? jsonShadow((withShadow.shadows as unknown[])[0], warn) : undefined;
  return { parts, ...(shadow ? { shadow } : {}) };
}

function jsonRunStyle(s: Record<string, unknown>, warn: Warn): RunStyle {
  const size = num(s.size);
  const color = solidColor(s.fill, warn);
  const strokes = Array.isArray(s.strokes) ? s.strokes.filter(isObject) : [];
  if (strokes.length > 1) warn('text-style-approximated', `${strokes.length} text strokes: only the first is drawn`);
  const strokeColor = strokes[0] ? solidColor(strokes[0], warn) : undefined;
  const strokeWidth = strokes[0] ? num(strokes[0].width) : undefined;
  const font = isObject(s.font) && typeof s.font.path === 'string' ? s.font.path : undefined;
  return {
    ...(size !== undefined && size > 0 ? { size } : {}),
    ...(color ? { color } : {}),
    ...(typeof s.bold === 'boolean' ? { bold: s.bold } : {}),
    ...(typeof s.italic === 'boolean' ? { italic: s.italic } : {}),
    ...(typeof s.underline === 'boolean' ? { underline: s.underline } : {}),
    ...(strokes[0]
      ? { stroke: { color: strokeColor ?? BLACK, width: strokeWidth ?? DEFAULT_STROKE_WIDTH } }
      : {}),
    ...(font ? { font } : {}),
  };
}

function jsonShadow(raw: unknown, warn: Warn): ShadowSpec | undefined {
  if (!isObject(raw)) return undefined;
  const color = solidColor(raw, warn) ?? withAlpha(BLACK, num(raw.alpha) ?? 1);
  if (color.a === 0) return undefined;
  return {
    color,
    distance: num(raw.distance) ?? 5,
    angleDeg: num(raw.angle) ?? -45,
    smoothing: num(raw.diffuse) ?? num(raw.smoothing) ?? 0.45,
  };
}

/**
 * JSON style ranges are `[start, end)`, counted in code points by pyJianYingDraft and in UTF-16
 * units by capcut-mate (and JianYing); the two differ only when the text has characters outside
 * the BMP (emoji). Decide per text, then map to code-point indices, clamped to the text.
 */
export function rangeIndexToCodePoint(
  text: string,
  ranges: (number[] | undefined)[],
): (index: number) => number {
  const chars = Array.from(text);
  const codePoints = chars.length;
  const utf16 = text.length;
  const clampCp = (i: number) => Math.min(codePoints, Math.max(0, Math.round(i)));
  if (codePoints === utf16) return clampCp;

  // UTF-16 start offset of each code point, plus the end.
  const starts: number[] = [];
  let offset = 0;
  for (const ch of chars) {
    starts.push(offset);
    offset += ch.length;
  }
  starts.push(offset);
  const isCharBoundary = new Set(starts);

  const indices = ranges.flatMap((r) => (r ? r.slice(0, 2) : []));
  const maxEnd = Math.max(0, ...indices);
  let unit: 'utf16' | 'codepoint';
  if (maxEnd === codePoints) unit = 'codepoint';
  else if (maxEnd >= utf16 || maxEnd > codePoints) unit = 'utf16';
  else if (indices.some((i) => !isCharBoundary.has(i))) unit = 'codepoint';
  else unit = 'utf16';

  if (unit === 'codepoint') return clampCp;
  return (index: number) => {
    const o = Math.min(utf16, Math.max(0, Math.round(index)));
    // An offset inside a surrogate pair moves to the end of that character.
    let cp = 0;
    while (starts[cp] < o) cp++;
    return cp;
  };
}
