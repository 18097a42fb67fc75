/**
 * Masks (`materials.masks[]`, referenced from a segment): JianYing's six shapes, placed in the
 * layer's box. The material's `config` is relative to the picture:
 * - `centerX`/`centerY`: half box widths/heights from the box centre, y up (JianYing's convention
 *   everywhere else; pyJianYingDraft writes pixel offsets divided by half the material size);
 * - `width`/`height`: fractions of the box width/height (a circle of diameter d has
 *   height = d / boxH and width = d / boxW);
 * - `rotation`: degrees clockwise; `feather`, `roundCorner`: 0..1; `invert`: keep the outside.
 */
import { normalizeEffectName } from './effect-names';
import type { SizePx } from './geometry';
import type { LayerMask, MaskShape } from './types';
import type { WarningCode } from './warnings';

type Warn = (code: WarningCode, message: string) => void;

interface MaskKind {
  shape: MaskShape;
  /** The outline is our own drawing, not JianYing's. */
  ownOutline: boolean;
}

const LINE: MaskKind = { shape: 'line', ownOutline: false };
const MIRROR: MaskKind = { shape: 'mirror', ownOutline: false };
const ELLIPSE: MaskKind = { shape: 'ellipse', ownOutline: false };
const RECTANGLE: MaskKind = { shape: 'rectangle', ownOutline: false };
const HEART: MaskKind = { shape: 'heart', ownOutline: true };
const STAR: MaskKind = { shape: 'star', ownOutline: true };

/** JianYing mask names (and CapCut's English ones) → shape. */
const BY_NAME: Record<string, MaskKind> = {
  线性: LINE,
  镜面: MIRROR,
  圆形: ELLIPSE,
  矩形: RECTANGLE,
  爱心: HEART,
  星形: STAR,
  linear: LINE,
  mirror: MIRROR,
  circle: ELLIPSE,
  rectangle: RECTANGLE,
  heart: HEART,
  star: STAR,
};

const byNormalName = new Map(Object.entries(BY_NAME).map(([name, kind]) => [normalizeEffectName(name), kind]));

/** JianYing's resource ids of the same masks, for drafts that carry no usable name. */
const BY_RESOURCE_ID: Record<string, MaskKind> = {
  '6791652175668843016': LINE,
  '6791699060140020232': MIRROR,
  '6791700663249146381': ELLIPSE,
  '6791700809454195207': RECTANGLE,
  '6794051276482023949': HEART,
  '6794051169434997255': STAR,
};

/** `resource_type` values that name one shape (heart and star share `geometric_shape`). */
const BY_RESOURCE_TYPE: Record<string, MaskKind> = {
  line: LINE,
  mirror: MIRROR,
  circle: ELLIPSE,
  rectangle: RECTANGLE,
};

/** pyJianYingDraft's default mask size, used when `config` leaves a size out. */
const DEFAULT_SIZE = 0.5;
/**
 * Soft-edge width at feather 1, as a fraction of the box's short side. JianYing's exact feather
 * curve is not published: this is an estimate, reported as an approximation.
 */
const FEATHER_WIDTH_OF_SHORT_SIDE = 0.5;

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

function maskKind(item: Record<string, unknown>): MaskKind | undefined {
  return (
    byNormalName.get(normalizeEffectName(String(item.name ?? ''))) ??
    BY_RESOURCE_ID[String(item.resource_id ?? '')] ??
    BY_RESOURCE_TYPE[String(item.resource_type ?? '')]
  );
}

/** A mask material → the layer's mask in box pixels, or undefined (with a warning) when unusable. */
export function layerMask(item: Record<string, unknown>, box: SizePx, warn: Warn): LayerMask | undefined {
  const label = String(item.name || item.resource_type || item.id);
  const kind = maskKind(item);
  if (!kind) {
    warn('mask-skipped', `mask "${label}" not known: not applied`);
    return undefined;
  }
  const config = item.config;
  if (typeof config !== 'object' || config === null) {
    warn('mask-skipped', `mask "${label}" has no config: not applied`);
    return undefined;
  }
  const c = config as Record<string, unknown>;
  const feather = clamp01(num(c.feather, 0));
  const roundCorner = kind.shape === 'rectangle' ? clamp01(num(c.roundCorner, 0)) : 0;
  const widthPx = Math.abs(num(c.width, DEFAULT_SIZE)) * box.width;
  const heightPx = Math.abs(num(c.height, DEFAULT_SIZE)) * box.height;

  const estimated = [
    kind.ownOutline ? 'outline drawn from our own shape' : '',
    feather > 0 ? 'feather width estimated' : '',
    roundCorner > 0 ? 'corner radius estimated' : '',
  ].filter(Boolean);
  if (estimated.length > 0) warn('mask-approximated', `mask "${label}": ${estimated.join(', ')}`);

  return {
    shape: kind.shape,
    centerXPx: (box.width / 2) * (1 + num(c.centerX, 0)),
    centerYPx: (box.height / 2) * (1 - num(c.centerY, 0)),
    widthPx,
    heightPx,
    rotationDeg: num(c.rotation, 0),
    featherPx: feather * FEATHER_WIDTH_OF_SHORT_SIDE * Math.min(box.width, box.height),
    cornerRadiusPx: (roundCorner * Math.min(widthPx, heightPx)) / 2,
    invert: c.invert === true,
  };
}
