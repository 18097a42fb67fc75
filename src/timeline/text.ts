/**
 * Text materials → TextBlock (draft-format.md §8). The content (JSON styles, legacy markup or plain
 * text, read by text-content.ts) gives styled pieces; the flat fields (`font_size`, `text_color`,
 * `border_*`, `shadow_*`, `background_*`, `alignment`, …) fill whatever the content leaves open.
 *
 * Sizes are relative to the em: pixel em = `size × canvasWidth / 160` (calibrated on a real
 * 1080-wide export: size 10 → 67.5 px). Stroke widths (JSON `strokes[].width`, markup
 * `<outline width=0.08>`, flat `border_width`) are fractions of the em: widthPx = width × em, so
 * JianYing's default 0.08 is 5.4 px on a 67.5 px em. Shadow distance is distance / 100 × em.
 */
import type { TextMaterial } from '../draft/schema';
import { parseHexColor, toCss, withAlpha, type Rgba } from './color';
import { resolveFont, substitutionMessage, type FontRef } from './fonts';
import type { SizePx } from './geometry';
import { readContent, DEFAULT_STROKE_WIDTH, type ShadowSpec, type StrokeSpec, type StyledText, type Warn } from './text-content';
import { karaokeWords, type SegmentTiming, type WordTiming } from './text-words';
import type { TextBlock, TextRun, TextShadow } from './types';

export { rangeIndexToCodePoint } from './text-content';

/** JianYing's size when a text says nothing (pyJianYingDraft's default too). */
const DEFAULT_SIZE = 8;
const DEFAULT_LINE_SPACING = 0.02;
const DEFAULT_LINE_MAX_WIDTH = 0.82;
/** JianYing's defaults for the underline (`underline_width`, `underline_offset`), in em. */
const DEFAULT_UNDERLINE_WIDTH = 0.05;
const DEFAULT_UNDERLINE_OFFSET = 0.22;
/**
 * Background box padding in em: `background_width/height` where JianYing writes them (0.14 by
 * default in 5.x drafts); 4.x drafts write 1.0 there, which is not a padding: the default is used.
 */
const DEFAULT_BACKGROUND_PADDING_EM = 0.14;
/** Shadow blur radius per unit of smoothing (0..1), in em. No JianYing source: approximated. */
const SHADOW_BLUR_EM_PER_SMOOTHING = 0.2;

/** check_flag bits (pyJianYingDraft: 7 = fill/font/global alpha, +8 stroke, +16 background, +32 shadow). */
const CHECK_GLOBAL_ALPHA = 4;
const CHECK_STROKE = 8;
const CHECK_BACKGROUND = 16;
const CHECK_SHADOW = 32;

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

/** Pixel em of a JianYing text size on a canvas this wide. */
export function fontSizePx(size: number, canvasWidthPx: number): number {
  return (size * canvasWidthPx) / 160;
}

export interface TextResult {
  block: TextBlock;
  /** One `font-substituted` message per font drawn with something other than itself. */
  fontSubstitutions: string[];
}

export interface TextOptions {
  /** The segment's timing: needed for karaoke `words` (highlights are in layer frames). */
  timing?: SegmentTiming;
}

export function textBlockFor(material: TextMaterial, canvas: SizePx, warn: Warn, opts: TextOptions = {}): TextResult {
  const content = readContent(material.content, warn);
  const flat = flatStyle(material);
  const titles = fontTitles(material.fonts);
  const substitutions = new Set<string>();

  const runs: TextRun[] = content.parts.map(({ text, style }) => {
    const em = fontSizePx(style.size ?? flat.size, canvas.width);
    const stroke = style.stroke === null ? undefined : (style.stroke ?? flat.stroke);
    const font = resolveFont(withTitle(style.font ?? flat.font, titles));
    const message = substitutionMessage(font);
    if (message) substitutions.add(message);
    const underline = style.underline ?? flat.underline;
    return {
      text,
      fontFamily: font.family,
      // Bold is the bold cut where the family ships one, else the browser's synthetic bold.
      fontWeight: (style.bold ?? flat.bold) ? Math.max(font.weight, 700) : font.weight,
      fontSizePx: em,
      italic: style.italic ?? flat.italic,
      underline,
      color: toCss(style.color ?? flat.color),
      ...(stroke && stroke.width > 0 ? { stroke: { color: toCss(stroke.color), widthPx: stroke.width * em } } : {}),
      ...(underline
        ? {
            underlineThicknessPx: round2((material.underline_width ?? DEFAULT_UNDERLINE_WIDTH) * em),
            underlineOffsetPx: round2((material.underline_offset ?? DEFAULT_UNDERLINE_OFFSET) * em),
          }
        : {}),
    };
  });

  const baseEm = runs[0]?.fontSizePx ?? fontSizePx(flat.size, canvas.width);
  const lineHeight = 1 + (material.line_spacing ?? DEFAULT_LINE_SPACING);
  const vertical = material.typesetting === 1;
  const shadowSpec = content.shadow ?? flatShadow(material);
  const background = flatBackground(material, baseEm, lineHeight, warn);
  const opacity = flagOn(material, CHECK_GLOBAL_ALPHA, true) ? clamp01(material.global_alpha ?? 1) : 1;
  if (shadowSpec) warn('text-style-approximated', 'text shadow blur is approximated');
  if ((material.bold_width ?? 0) > 0) warn('text-style-approximated', 'bold_width drawn as bold');
  if ((material.italic_degree ?? 0) !== 0) warn('text-style-approximated', 'italic_degree drawn as italic');

  const highlighted = karaoke(material, runs, content.parts, opts.timing, warn);

  const block: TextBlock = {
    runs: highlighted,
    align: alignment(material.alignment, warn),
    // Vertical text runs down the canvas, so its lines are limited by the canvas height.
    maxWidthPx: (material.line_max_width ?? DEFAULT_LINE_MAX_WIDTH) * (vertical ? canvas.height : canvas.width),
    // JianYing wraps at line_max_width only for subtitles (type "subtitle") or when forced.
    wrap: material.type === 'subtitle' || material.force_apply_line_max_width === true,
    lineHeight,
    letterSpacingPx: (material.letter_spacing ?? 0) * baseEm,
    vertical,
    ...(shadowSpec ? { shadow: shadowPx(shadowSpec, baseEm) } : {}),
    ...(background ? { background } : {}),
    ...(opacity < 1 ? { opacity } : {}),
  };
  return { block, fontSubstitutions: [...substitutions] };
}

function alignment(value: number | undefined, warn: Warn): TextBlock['align'] {
  if (value === 0) return 'left';
  if (value === 2) return 'right';
  if (value !== undefined && value !== 1) warn('text-style-approximated', `text alignment ${value} drawn centred`);
  return 'center';
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, Number.isFinite(v) ? v : 1));
const round2 = (v: number) => Math.round(v * 100) / 100 || 0;

// ---------------------------------------------------------------------------------------------
// Fonts

/** `fonts: [{resource_id, path, title}]` → title by id and by path, to name fonts the content references. */
function fontTitles(fonts: unknown): Map<string, string> {
  const titles = new Map<string, string>();
  if (!Array.isArray(fonts)) return titles;
  for (const f of fonts) {
    if (typeof f !== 'object' || f === null) continue;
    const { title, resource_id, effect_id, path } = f as Record<string, unknown>;
    if (typeof title !== 'string' || !title) continue;
    for (const key of [resource_id, effect_id, path]) {
      if ((typeof key === 'string' && key) || typeof key === 'number') titles.set(String(key), title);
    }
  }
  return titles;
}

function withTitle(ref: FontRef, titles: Map<string, string>): FontRef {
  if (ref.title && ref.title !== 'none') return ref;
  const title = (ref.resourceId && titles.get(ref.resourceId)) || (ref.path && titles.get(ref.path));
  return title ? { ...ref, title } : ref;
}

// ---------------------------------------------------------------------------------------------
// Flat fields

interface FlatStyle {
  size: number;
  color: Rgba;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  stroke?: StrokeSpec;
  font: FontRef;
}

/** check_flag bits switch the flat effects on; drafts without check_flag use the fields' own switches. */
function flagOn(m: TextMaterial, bit: number, fallback: boolean): boolean {
  return m.check_flag !== undefined ? (m.check_flag & bit) !== 0 : fallback;
}

function flatStyle(m: TextMaterial): FlatStyle {
  const strokeOn = flagOn(m, CHECK_STROKE, !!m.border_color);
  const font: FontRef = {
    ...(m.font_resource_id || m.font_id ? { resourceId: m.font_resource_id || m.font_id } : {}),
    ...(m.font_title ? { title: m.font_title } : {}),
    ...(m.font_path ? { path: m.font_path } : {}),
  };
  return {
    size: m.font_size && m.font_size > 0 ? m.font_size : DEFAULT_SIZE,
    color: parseHexColor(m.text_color, m.text_alpha ?? 1) ?? withAlpha(WHITE, m.text_alpha ?? 1),
    bold: (m.bold_width ?? 0) > 0,
    italic: (m.italic_degree ?? 0) !== 0,
    underline: m.underline ?? false,
    font,
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

/** `background_width/height`: padding in em when it looks like one (0 ≤ v < 1), else the default. */
const paddingEm = (v: number | undefined) => (v !== undefined && v >= 0 && v < 1 ? v : DEFAULT_BACKGROUND_PADDING_EM);

function flatBackground(m: TextMaterial, emPx: number, lineHeight: number, warn: Warn): TextBlock['background'] | undefined {
  if (!flagOn(m, CHECK_BACKGROUND, !!m.background_color)) return undefined;
  const color = parseHexColor(m.background_color, m.background_alpha ?? 1);
  if (!color || color.a === 0) return undefined;
  warn('text-style-approximated', 'text background padding and corner radius are approximated');
  if ((m.background_horizontal_offset ?? 0) !== 0 || (m.background_vertical_offset ?? 0) !== 0) {
    warn('text-style-approximated', 'text background offset not drawn: box centred on the text');
  }
  const paddingPx = round2(paddingEm(m.background_width) * emPx);
  const paddingYPx = round2(paddingEm(m.background_height) * emPx);
  // round_radius 0..1 (some writers 0..100): 1 rounds a one-line box into a pill.
  const rawRadius = m.background_round_radius ?? 0;
  const radius = Math.min(1, Math.max(0, rawRadius > 1 ? rawRadius / 100 : rawRadius));
  const oneLineHalfHeight = (lineHeight * emPx + 2 * paddingYPx) / 2;
  return {
    color: toCss(color),
    paddingPx,
    radiusPx: round2(radius * oneLineHalfHeight),
    ...(paddingYPx !== paddingPx ? { paddingYPx } : {}),
  };
}

/**
 * Shadow in pixels. The angle is in JianYing's y-up convention (-45° = down-right, matching the
 * `shadow_point {x: 1.02, y: -1.02}` stored beside it).
 */
export function shadowPx(s: ShadowSpec, emPx: number): TextShadow {
  const distancePx = (s.distance / 100) * emPx;
  const rad = (s.angleDeg * Math.PI) / 180;
  return {
    color: toCss(s.color),
    offsetXPx: round2(distancePx * Math.cos(rad)),
    offsetYPx: round2(-distancePx * Math.sin(rad)),
    blurPx: round2(s.smoothing * SHADOW_BLUR_EM_PER_SMOOTHING * emPx),
  };
}

// ---------------------------------------------------------------------------------------------
// Karaoke

/** Runs cut at word edges, each sung word carrying its highlight window. */
function karaoke(m: TextMaterial, runs: TextRun[], parts: StyledText[], timing: SegmentTiming | undefined, warn: Warn): TextRun[] {
  const color = parseHexColor(m.ktv_color);
  if (!timing || !color || color.a === 0) return runs;
  const words = karaokeWords(parts.map((p) => p.text).join(''), m.words, timing, warn);
  if (words.length === 0) return runs;
  const highlightColor = toCss(color);

  const out: TextRun[] = [];
  let offset = 0; // code points before the current run
  for (const run of runs) {
    const chars = Array.from(run.text);
    const end = offset + chars.length;
    const cuts = new Set([offset, end]);
    for (const w of words) {
      for (const edge of [w.start, w.end]) if (edge > offset && edge < end) cuts.add(edge);
    }
    const edges = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i < edges.length - 1; i++) {
      const text = chars.slice(edges[i] - offset, edges[i + 1] - offset).join('');
      const word: WordTiming | undefined = words.find((w) => w.start <= edges[i] && w.end >= edges[i + 1]);
      out.push({
        ...run,
        text,
        ...(word ? { highlight: { color: highlightColor, fromFrame: word.fromFrame, toFrame: word.toFrame } } : {}),
      });
    }
    offset = end;
  }
  return out;
}

