/**
 * Where a media layer's picture lies inside its box: the whole box, or — for a picture whose size
 * was unknown when the box was made (`fit: 'contain'`) — the cropped picture contain-fitted and
 * centred in it. The crop is taken first, then the fit: JianYing fits the cropped picture.
 */
import { croppedSize } from '../crop';
import { containFit } from '../geometry';
import type { MediaRef, VisualLayer } from '../types';

/** A rectangle in box pixels (origin top-left of the layer's box). */
export interface BoxRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The picture's rectangle in its box; null when it must be contain-fitted but its size is unknown. */
export function pictureRect(layer: VisualLayer, media: Pick<MediaRef, 'widthPx' | 'heightPx'> | undefined): BoxRect | null {
  const { width, height } = layer.boxPx;
  if (layer.kind !== 'image' || layer.fit !== 'contain') return { left: 0, top: 0, width, height };
  const fitted = containFit(croppedSize({ width: media?.widthPx, height: media?.heightPx }, layer.crop), layer.boxPx);
  if (!fitted) return null;
  return { left: (width - fitted.width) / 2, top: (height - fitted.height) / 2, width: fitted.width, height: fitted.height };
}

/**
 * Scale that pushes a blur's soft, half-transparent rim (about 2σ wide) out of a box: JianYing
 * blurs with the picture's edge pixels repeated, CSS with transparency.
 */
export function blurEdgeScale(blurPx: number, box: { width: number; height: number }): number {
  if (blurPx <= 0) return 1;
  const margin = 2 * blurPx;
  return Math.max((box.width + 2 * margin) / box.width, (box.height + 2 * margin) / box.height);
}
