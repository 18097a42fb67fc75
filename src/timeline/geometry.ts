/**
 * Geometry rules of draft-format.md §5. This is the only place the y-up rule lives.
 */

export interface SizePx {
  width: number;
  height: number;
}

/**
 * Fit a material inside the canvas, aspect preserved ("contain"). `clip.scale` multiplies the
 * result later. Unknown or unusable material dimensions give the canvas box.
 */
export function containFit(
  material: { width?: number; height?: number },
  canvas: SizePx,
): SizePx | null {
  const { width, height } = material;
  if (!width || !height || !Number.isFinite(width) || !Number.isFinite(height) || width <= 0 || height <= 0) {
    return null;
  }
  const factor = Math.min(canvas.width / width, canvas.height / height);
  return { width: width * factor, height: height * factor };
}

/**
 * `clip.transform` (half-canvas units, x right, **y up**) → layer centre in canvas pixels (y down).
 * x = 0, y = 0 is the canvas centre; y = -0.8 is near the bottom.
 */
export function halfCanvasToPixels(
  x: number,
  y: number,
  canvas: SizePx,
): { xPx: number; yPx: number } {
  return { xPx: halfCanvasXToPixels(x, canvas), yPx: halfCanvasYToPixels(y, canvas) };
}

export function halfCanvasXToPixels(x: number, canvas: SizePx): number {
  return (canvas.width / 2) * (1 + x);
}

export function halfCanvasYToPixels(y: number, canvas: SizePx): number {
  return (canvas.height / 2) * (1 - y);
}
