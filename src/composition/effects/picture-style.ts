/**
 * CSS for a layer's picture: where the (cropped) source sits in its box and which filters it gets.
 * Pure, so the numbers can be checked without a browser.
 */
import type React from 'react';
import { valueAt } from '../../timeline/track';
import type { CropRect, PictureFilter } from '../../timeline/types';
import { maxOf } from '../../timeline/numbers';

/**
 * Places the whole source so that only the crop rectangle shows in a box (with overflow hidden):
 * the source is 1/width × 1/height of the box, shifted left/up by the crop's origin.
 */
export function cropPlacement(crop: CropRect): React.CSSProperties {
  return {
    position: 'absolute',
    left: `${(-crop.x / crop.width) * 100}%`,
    top: `${(-crop.y / crop.height) * 100}%`,
    width: `${100 / crop.width}%`,
    height: `${100 / crop.height}%`,
  };
}

/** Size in pixels of the whole source when only its crop fills a box of `box` pixels. */
export function sourceSizePx(box: { width: number; height: number }, crop: CropRect | undefined) {
  return crop ? { width: box.width / crop.width, height: box.height / crop.height } : box;
}

/** The CSS `filter` value at a layer-relative frame; undefined for no filters. */
export function cssFilter(filters: PictureFilter[] | undefined, frame: number): string | undefined {
  if (!filters || filters.length === 0) return undefined;
  return filters
    .map((f) => {
      const amount = Math.max(0, valueAt(f.amount, frame));
      return f.fn === 'blur' ? `blur(${amount}px)` : `${f.fn}(${amount})`;
    })
    .join(' ');
}

/** The largest blur radius at a frame (0 for none). */
export function blurRadiusPx(filters: PictureFilter[] | undefined, frame: number): number {
  return Math.max(0, maxOf((filters ?? []).filter((f) => f.fn === 'blur').map((f) => valueAt(f.amount, frame))));
}

