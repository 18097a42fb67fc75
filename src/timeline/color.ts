/**
 * Colours as the draft writes them (`#RRGGBB`, `#RRGGBBAA`, `[r, g, b]` floats 0..1,
 * `(r,g,b,a)` floats in legacy markup) → CSS colours.
 */

export interface Rgba {
  /** 0..255 */
  r: number;
  g: number;
  b: number;
  /** 0..1 */
  a: number;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0));
const to255 = (v: number) => Math.round(clamp01(v) * 255);

/** `[r, g, b]` (and optional alpha) in 0..1 floats. */
export function rgbFloats(rgb: readonly number[], alpha = 1): Rgba {
  return { r: to255(rgb[0] ?? 0), g: to255(rgb[1] ?? 0), b: to255(rgb[2] ?? 0), a: clamp01(alpha) };
}

/** `#RRGGBB` / `#RRGGBBAA` / `#RGB`; null for empty or malformed text. */
export function parseHexColor(hex: string | undefined, alpha = 1): Rgba | null {
  if (!hex) return null;
  let h = hex.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(h)) h = [...h].map((c) => c + c).join('');
  if (!/^[0-9a-f]{6}([0-9a-f]{2})?$/i.test(h)) return null;
  const byte = (i: number) => parseInt(h.slice(i, i + 2), 16);
  const ownAlpha = h.length === 8 ? byte(6) / 255 : 1;
  return { r: byte(0), g: byte(2), b: byte(4), a: clamp01(ownAlpha * alpha) };
}

/** `(r,g,b,a)` with 0..1 floats, as in legacy text markup. */
export function parseFloatTuple(text: string): Rgba | null {
  const nums = text
    .replace(/[()\s]/g, '')
    .split(',')
    .filter((s) => s !== '')
    .map(Number);
  if (nums.length < 3 || nums.some((n) => !Number.isFinite(n))) return null;
  return rgbFloats(nums.slice(0, 3), nums[3] ?? 1);
}

export function withAlpha(color: Rgba, alpha: number): Rgba {
  return { ...color, a: clamp01(color.a * alpha) };
}

/** Opaque colours as `#rrggbb`, others as `rgba(r, g, b, a)`. */
export function toCss(color: Rgba): string {
  if (color.a >= 1) {
    return `#${[color.r, color.g, color.b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  }
  const a = Math.round(color.a * 1000) / 1000;
  return `rgba(${color.r}, ${color.g}, ${color.b}, ${a})`;
}

/** True for black or fully transparent colours (JianYing's default canvas background). */
export function isBlackOrClear(color: Rgba): boolean {
  return color.a === 0 || (color.r === 0 && color.g === 0 && color.b === 0);
}
