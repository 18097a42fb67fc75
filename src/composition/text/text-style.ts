/**
 * CSS for a TextBlock and its runs. Pure functions of the timeline's numbers and the frame, so the
 * view stays a thin tree and the rules can be read in one place.
 */
import type React from 'react';
import type { TextBlock, TextRun } from '../../timeline/types';
import { highlightProgress } from '../../timeline/picture/text-reveal';
import { fontStack } from '../fonts';

/** The box that holds the text: sized to its longest line, wrapping where the block says. */
export const blockStyle = (block: TextBlock): React.CSSProperties => {
  const wrap = block.wrap !== false;
  const background = block.background;
  return {
    position: 'relative',
    // Logical sizes, so vertical text limits its column height the same way.
    inlineSize: 'max-content',
    ...(wrap ? { maxInlineSize: block.maxWidthPx } : {}),
    lineHeight: block.lineHeight,
    letterSpacing: block.letterSpacingPx,
    textAlign: block.align,
    whiteSpace: wrap ? 'pre-wrap' : 'pre',
    overflowWrap: wrap ? 'anywhere' : 'normal',
    writingMode: block.vertical ? 'vertical-rl' : 'horizontal-tb',
    // JianYing keeps every character upright in vertical text, Latin included.
    ...(block.vertical ? { textOrientation: 'upright' } : {}),
    ...(background
      ? {
          backgroundColor: background.color,
          paddingInline: block.vertical ? (background.paddingYPx ?? background.paddingPx) : background.paddingPx,
          paddingBlock: block.vertical ? background.paddingPx : (background.paddingYPx ?? background.paddingPx),
          borderRadius: background.radiusPx,
        }
      : {}),
    ...(block.opacity !== undefined ? { opacity: block.opacity } : {}),
  };
};

/**
 * The text layers' wrapper: CSS adds letter spacing after the last character of every line too,
 * which would push the text off centre by half a spacing; the negative end margin takes it back.
 * The shadow falls from the stroked text (stroke and fill together), not from the box.
 */
export const textWrapStyle = (block: TextBlock): React.CSSProperties => ({
  position: 'relative',
  marginInlineEnd: -block.letterSpacingPx,
  ...(block.shadow
    ? {
        filter: `drop-shadow(${block.shadow.offsetXPx}px ${block.shadow.offsetYPx}px ${block.shadow.blurPx}px ${block.shadow.color})`,
      }
    : {}),
});

const baseRunStyle = (run: TextRun): React.CSSProperties => ({
  fontFamily: fontStack(run),
  fontWeight: run.fontWeight,
  fontSize: run.fontSizePx,
  fontStyle: run.italic ? 'italic' : 'normal',
});

/** Most rings and samples per ring of a stroke disc: bounds the draw cost of very wide strokes. */
const MAX_STROKE_RINGS = 8;
const MAX_RING_SAMPLES = 48;
/** Spacing of the samples, px: below this the disc's edge is smooth after anti-aliasing. */
const STROKE_SAMPLE_STEP_PX = 1.5;

/**
 * Offsets that tile a disc of this radius: concentric rings, each sampled finely enough that the
 * copies of a glyph shifted by them merge into one smooth outline.
 */
export const strokeDiscOffsets = (radiusPx: number): [number, number][] => {
  if (!(radiusPx > 0)) return [];
  const rings = Math.min(MAX_STROKE_RINGS, Math.ceil(radiusPx / STROKE_SAMPLE_STEP_PX));
  const out: [number, number][] = [];
  for (let k = 1; k <= rings; k++) {
    const r = (radiusPx * k) / rings;
    const n = Math.min(MAX_RING_SAMPLES, Math.max(6, Math.ceil((2 * Math.PI * r) / STROKE_SAMPLE_STEP_PX)));
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      out.push([Math.round(r * Math.cos(a) * 100) / 100, Math.round(r * Math.sin(a) * 100) / 100]);
    }
  }
  return out;
};

/**
 * The stroke is a copy of the text drawn underneath in the stroke colour and spread by `widthPx`
 * all round with hard-edged text shadows (a disc of shifted copies): corners come out round, as
 * JianYing draws them. (`-webkit-text-stroke` joins are mitred, and Chromium ignores
 * `stroke-linejoin` on HTML text, so sharp CJK corners would grow spikes.) Runs without a stroke
 * are laid out invisibly so both copies wrap alike.
 */
export const strokeRunStyle = (run: TextRun): React.CSSProperties => {
  const stroke = run.stroke;
  if (!stroke) return { ...baseRunStyle(run), color: 'transparent' };
  // Overlapping copies would pile a translucent colour up: draw opaque, fade the run once.
  const { opaque, alpha } = splitAlpha(stroke.color);
  return {
    ...baseRunStyle(run),
    color: opaque,
    textShadow: strokeDiscOffsets(stroke.widthPx)
      .map(([x, y]) => `${x}px ${y}px 0 ${opaque}`)
      .join(', '),
    ...(alpha < 1 ? { opacity: alpha } : {}),
  };
};

/** `rgba(r, g, b, a)` → `rgb(r, g, b)` and a; other colours are opaque already (timeline/color.ts toCss). */
export const splitAlpha = (css: string): { opaque: string; alpha: number } => {
  const m = /^rgba\(\s*([\d.]+),\s*([\d.]+),\s*([\d.]+),\s*([\d.]+)\s*\)$/.exec(css);
  return m ? { opaque: `rgb(${m[1]}, ${m[2]}, ${m[3]})`, alpha: Number(m[4]) } : { opaque: css, alpha: 1 };
};

/** Share of a karaoke word sung at a frame: 0 before, 1 after, linear between. */
/** The visible run: its colour, the karaoke sweep (along the line) and the underline. */
export const fillRunStyle = (run: TextRun, frame: number, vertical: boolean): React.CSSProperties => {
  const style: React.CSSProperties = {
    ...baseRunStyle(run),
    color: run.color,
    ...(run.underline
      ? {
          textDecorationLine: 'underline',
          textDecorationColor: run.color,
          ...(run.underlineThicknessPx !== undefined ? { textDecorationThickness: run.underlineThicknessPx } : {}),
          ...(run.underlineOffsetPx !== undefined ? { textUnderlineOffset: run.underlineOffsetPx } : {}),
        }
      : {}),
  };
  const progress = highlightProgress(run, frame);
  if (!run.highlight || progress <= 0) return style;
  if (progress >= 1) return { ...style, color: run.highlight.color };
  const at = `${(progress * 100).toFixed(2)}%`;
  return {
    ...style,
    backgroundImage: `linear-gradient(${vertical ? 'to bottom' : 'to right'}, ${run.highlight.color} ${at}, ${run.color} ${at})`,
    WebkitBackgroundClip: 'text',
    backgroundClip: 'text',
    WebkitTextFillColor: 'transparent',
  };
};
