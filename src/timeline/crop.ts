/**
 * Material crop (draft-format.md §5): `crop` holds four corner points in 0..1 of the source,
 * origin top-left. JianYing then fits the cropped picture into the canvas, so the layer's box is
 * the contain fit of the cropped size, not of the whole source.
 */
import { containFit, type SizePx } from './geometry';
import type { CropRect } from './types';
import type { WarningCode } from './warnings';

type Warn = (code: WarningCode, message: string) => void;

const CORNERS = ['upper_left', 'upper_right', 'lower_left', 'lower_right'] as const;

/** How far a corner may sit off the rectangle's edge and still count as on it (rounding in drafts). */
const EDGE_TOLERANCE = 1e-3;
/** A crop narrower than this (fraction of the source) is taken as broken data. */
const MIN_SIDE = 1e-3;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * The material's crop as a rectangle; undefined for no crop, the full frame or unusable data.
 * A skewed quadrilateral (JianYing's free crop can rotate it) is drawn as its bounding rectangle.
 */
export function cropRect(material: Record<string, unknown>, warn: Warn): CropRect | undefined {
  const crop = material.crop;
  if (typeof crop !== 'object' || crop === null) return undefined;
  const raw = crop as Record<string, unknown>;
  const point = (corner: (typeof CORNERS)[number]) => {
    const x = raw[`${corner}_x`];
    const y = raw[`${corner}_y`];
    return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)
      ? { x: clamp01(x), y: clamp01(y) }
      : null;
  };
  const points = CORNERS.map(point);
  if (points.some((p) => p === null)) {
    if (CORNERS.some((c) => `${c}_x` in raw || `${c}_y` in raw)) warn('crop-skipped', 'material crop has missing corners: not applied');
    return undefined;
  }
  const [ul, ur, ll, lr] = points as { x: number; y: number }[];
  const left = Math.min(ul.x, ll.x);
  const right = Math.max(ur.x, lr.x);
  const top = Math.min(ul.y, ur.y);
  const bottom = Math.max(ll.y, lr.y);
  if (right - left < MIN_SIDE || bottom - top < MIN_SIDE) {
    warn('crop-skipped', 'material crop is empty: not applied');
    return undefined;
  }
  const skewed =
    Math.abs(ul.x - ll.x) > EDGE_TOLERANCE ||
    Math.abs(ur.x - lr.x) > EDGE_TOLERANCE ||
    Math.abs(ul.y - ur.y) > EDGE_TOLERANCE ||
    Math.abs(ll.y - lr.y) > EDGE_TOLERANCE;
  if (skewed) warn('crop-approximated', 'rotated crop drawn as its bounding rectangle');
  const rect = { x: left, y: top, width: right - left, height: bottom - top };
  const full = rect.x < EDGE_TOLERANCE && rect.y < EDGE_TOLERANCE && rect.width > 1 - 2 * EDGE_TOLERANCE && rect.height > 1 - 2 * EDGE_TOLERANCE;
  return full ? undefined : rect;
}

/** Size in source pixels of the cropped picture; the source size when uncropped or unknown. */
export function croppedSize(source: { width?: number; height?: number }, crop: CropRect | undefined) {
  if (!crop || !source.width || !source.height) return source;
  return { width: source.width * crop.width, height: source.height * crop.height };
}

/** Contain-fit box of the cropped picture; null when the source size is unknown. */
export function croppedBox(
  source: { width?: number; height?: number },
  crop: CropRect | undefined,
  canvas: SizePx,
): SizePx | null {
  return containFit(croppedSize(source, crop), canvas);
}
