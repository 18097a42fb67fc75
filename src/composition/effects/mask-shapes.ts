/**
 * Mask outlines as SVG path data in box pixels, before the mask's rotation (which is applied about
 * the mask centre). Pure, so shapes can be checked with numbers.
 */
import type { LayerMask } from '../../timeline/types';

const round = (v: number) => Math.round(v * 1000) / 1000;
const pt = (x: number, y: number) => `${round(x)} ${round(y)}`;

/**
 * A heart in a unit box (x right, y down): two lobes meeting at a dip a quarter down, the tip at
 * the bottom. Its width:height is stretched to the mask's (JianYing's default is 1.115:1).
 */
const HEART: [number, number][][] = [
  // start, then cubic segments of three points each
  [[0.5, 0.25]],
  [[0.5, 0.1], [0.36, 0], [0.23, 0]],
  [[0.09, 0], [0, 0.12], [0, 0.29]],
  [[0, 0.52], [0.26, 0.73], [0.5, 1]],
  [[0.74, 0.73], [1, 0.52], [1, 0.29]],
  [[1, 0.12], [0.91, 0], [0.77, 0]],
  [[0.64, 0], [0.5, 0.1], [0.5, 0.25]],
];

/** Inner to outer radius of a regular five-pointed star (sin 18° / sin 54°). */
const STAR_INNER_RATIO = Math.sin(Math.PI / 10) / Math.sin((3 * Math.PI) / 10);

/** A regular five-pointed star, point up, normalised to fill a unit box (its natural aspect is ≈ 1.05). */
const STAR: [number, number][] = (() => {
  const raw = Array.from({ length: 10 }, (_, i) => {
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    const r = i % 2 === 0 ? 1 : STAR_INNER_RATIO;
    return [r * Math.cos(angle), r * Math.sin(angle)] as [number, number];
  });
  const xs = raw.map((p) => p[0]);
  const ys = raw.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return raw.map(([x, y]) => [(x - minX) / (maxX - minX), (y - minY) / (maxY - minY)]);
})();

/**
 * The kept region's outline. `line` and `mirror` are half-planes/bands: drawn as rectangles reaching
 * `reachPx` from the centre, far enough to cover the box at any rotation.
 */
export function maskPath(mask: LayerMask, reachPx: number): string {
  const { centerXPx: cx, centerYPx: cy, widthPx: w, heightPx: h } = mask;
  const rect = (x0: number, y0: number, x1: number, y1: number) =>
    `M${pt(x0, y0)} L${pt(x1, y0)} L${pt(x1, y1)} L${pt(x0, y1)} Z`;
  // Maps a unit-box point into the mask's w × h box around its centre.
  const place = ([u, v]: [number, number]) => pt(cx - w / 2 + u * w, cy - h / 2 + v * h);
  switch (mask.shape) {
    case 'line':
      // Keeps what is above the line (y is down in box pixels).
      return rect(cx - reachPx, cy - reachPx, cx + reachPx, cy);
    case 'mirror':
      return rect(cx - reachPx, cy - h / 2, cx + reachPx, cy + h / 2);
    case 'ellipse': {
      const rx = w / 2;
      const ry = h / 2;
      return `M${pt(cx - rx, cy)} A${pt(rx, ry)} 0 1 0 ${pt(cx + rx, cy)} A${pt(rx, ry)} 0 1 0 ${pt(cx - rx, cy)} Z`;
    }
    case 'rectangle': {
      const r = Math.min(mask.cornerRadiusPx, w / 2, h / 2);
      const [x0, y0, x1, y1] = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
      if (r <= 0) return rect(x0, y0, x1, y1);
      const arc = (x: number, y: number) => `A${pt(r, r)} 0 0 1 ${pt(x, y)}`;
      return [
        `M${pt(x0 + r, y0)}`,
        `L${pt(x1 - r, y0)}`, arc(x1, y0 + r),
        `L${pt(x1, y1 - r)}`, arc(x1 - r, y1),
        `L${pt(x0 + r, y1)}`, arc(x0, y1 - r),
        `L${pt(x0, y0 + r)}`, arc(x0 + r, y0),
        'Z',
      ].join(' ');
    }
    case 'heart': {
      const [[start], ...curves] = HEART;
      return `M${place(start)} ${curves.map((c) => `C${c.map(place).join(' ')}`).join(' ')} Z`;
    }
    case 'star':
      return `M${STAR.map(place).join(' L')} Z`;
  }
}
