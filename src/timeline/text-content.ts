/**
 * A text material's `content` → styled pieces of text (draft-format.md §8). Three shapes:
 * 1. a JSON string `{text, styles[{range, size, fill, font, strokes, shadows, bold, italic, underline}]}`;
 * 2. legacy markup `<outline ..><size=..><color=(r,g,b,a)><font ..>[text]</font>…`;
 * 3. plain text (everything comes from the flat fields, see text.ts).
 * Whatever a piece leaves undefined is filled from the flat fields by text.ts.
 */
import { rgbFloats, withAlpha, type Rgba } from './color';
import type { FontRef } from './fonts';
import { isLegacyMarkup, parseLegacyMarkup } from './text-markup';
import type { WarningCode } from './warnings';
import { maxOf } from './numbers';

export type Warn = (code: WarningCode, message: string) => void;

export interface StrokeSpec {
  color: Rgba;
  /** Fraction of the em (JianYing's default 0.08). */
  width: number;
}

export interface ShadowSpec {
  color: Rgba;
  /** JianYing units: distance / 100 × em. */
  distance: number;
  /** Degrees, y up (−45 = down-right). */
  angleDeg: number;
  /** Blur amount 0..1 (the flat `shadow_smoothing`; JSON `diffuse` × 6). */
  smoothing: number;
}

/** What one piece asks for; undefined = take the flat field. `stroke: null` = explicitly none. */
export interface RunStyle {
  size?: number;
  color?: Rgba;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  stroke?: StrokeSpec | null;
  font?: FontRef;
}

export interface StyledText {
  text: string;
  style: RunStyle;
}

export interface Content {
  parts: StyledText[];
  /** The content's own shadow (JSON styles); flat shadow fields apply otherwise. */
  shadow?: ShadowSpec;
}

export const DEFAULT_STROKE_WIDTH = 0.08;
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };
/** JianYing stores a JSON shadow's blur as UI value / 600 (pyJianYingDraft notes the /6), flat as / 100. */
const JSON_DIFFUSE_TO_SMOOTHING = 6;

export function readContent(raw: string | Record<string, unknown>, warn: Warn): Content {
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

// ---------------------------------------------------------------------------------------------
// Shape 2: legacy markup

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
        ? { stroke: { color: span.outline.color ?? BLACK, width: span.outline.width ?? DEFAULT_STROKE_WIDTH } }
        : {}),
      ...(span.fontPath || span.fontId
        ? { font: { ...(span.fontId ? { resourceId: span.fontId } : {}), ...(span.fontPath ? { path: span.fontPath } : {}) } }
        : {}),
    },
  }));
}

// ---------------------------------------------------------------------------------------------
// Shape 1: JSON

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const numArray = (v: unknown): number[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** `{content: {solid: {color: [r,g,b], alpha}}, alpha}` → colour (undefined for no solid colour). */
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
  const edges = [...new Set([0, chars.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
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

  // One shadow per block (the composition shadows the whole stroked text): the first style's.
  const shadowed = styles.filter((s) => Array.isArray(s.shadows) && s.shadows.length > 0);
  const shadow = shadowed[0] ? jsonShadow((shadowed[0].shadows as unknown[])[0], warn) : undefined;
  const shadowKeys = new Set(shadowed.map((s) => JSON.stringify(s.shadows)));
  if (shadowKeys.size > 1 || (shadowed[0] && (shadowed[0].shadows as unknown[]).length > 1)) {
    warn('text-style-approximated', 'several text shadows: the first is drawn for the whole text');
  }
  if (styles.some((s) => isObject(s.effectStyle) && str(s.effectStyle.id))) {
    warn('text-style-approximated', 'text effect (花字) not drawn: plain fill and stroke used');
  }
  return { parts, ...(shadow ? { shadow } : {}) };
}

function jsonRunStyle(s: Record<string, unknown>, warn: Warn): RunStyle {
  const size = num(s.size);
  const color = solidColor(s.fill, warn);
  const strokes = Array.isArray(s.strokes) ? s.strokes.filter(isObject) : undefined;
  if (strokes && strokes.length > 1) warn('text-style-approximated', `${strokes.length} text strokes: only the first is drawn`);
  const first = strokes?.[0];
  const font = isObject(s.font) ? { resourceId: str(s.font.id), path: str(s.font.path), title: str(s.font.title) } : undefined;
  // An empty `strokes` list says "no stroke" as clearly as a stroke says "this stroke".
  const stroke: StrokeSpec | null | undefined = first
    ? { color: solidColor(first, warn) ?? BLACK, width: num(first.width) ?? DEFAULT_STROKE_WIDTH }
    : strokes
      ? null
      : undefined;
  return {
    ...(size !== undefined && size > 0 ? { size } : {}),
    ...(color ? { color } : {}),
    ...(typeof s.bold === 'boolean' ? { bold: s.bold } : {}),
    ...(typeof s.italic === 'boolean' ? { italic: s.italic } : {}),
    ...(typeof s.underline === 'boolean' ? { underline: s.underline } : {}),
    ...(stroke !== undefined ? { stroke } : {}),
    ...(font && (font.resourceId || font.path || font.title) ? { font: dropUndefined(font) } : {}),
  };
}

const dropUndefined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function jsonShadow(raw: unknown, warn: Warn): ShadowSpec | undefined {
  if (!isObject(raw)) return undefined;
  const color = solidColor(raw, warn) ?? withAlpha(BLACK, num(raw.alpha) ?? 1);
  if (color.a === 0) return undefined;
  const diffuse = num(raw.diffuse);
  return {
    color,
    distance: num(raw.distance) ?? 5,
    angleDeg: num(raw.angle) ?? -45,
    smoothing: diffuse !== undefined ? Math.min(1, diffuse * JSON_DIFFUSE_TO_SMOOTHING) : (num(raw.smoothing) ?? 0.15),
  };
}

/**
 * JSON style ranges are `[start, end)`, counted in code points by pyJianYingDraft and in UTF-16
 * units by capcut-mate (and JianYing); the two differ only when the text has characters outside
 * the BMP (emoji). Decide per text, then map to code-point indices, clamped to the text.
 */
export function rangeIndexToCodePoint(text: string, ranges: (number[] | undefined)[]): (index: number) => number {
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
  const maxEnd = Math.max(0, maxOf(indices));
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
