/** A transition's canvas effect (timeline/picture/effects.ts) as CSS, and nothing else. */
import type React from 'react';
import type { Canvas, CanvasEffect, ClipShape } from '../timeline/picture';

const pct = (f: number) => `${(f * 100).toFixed(3)}%`;

function clipPath(clip: ClipShape, canvas: Canvas): string {
  if (clip.kind === 'inset') return `inset(${pct(clip.top)} ${pct(clip.right)} ${pct(clip.bottom)} ${pct(clip.left)})`;
  const halfDiagonalPx = Math.hypot(canvas.width, canvas.height) / 2;
  return `circle(${(clip.radius * halfDiagonalPx).toFixed(3)}px at 50% 50%)`;
}

/** CSS for a full-canvas wrapper drawing one side of a transition; nothing for the identity. */
export function canvasEffectStyle(e: CanvasEffect, canvas: Canvas): React.CSSProperties {
  const style: React.CSSProperties = { position: 'absolute', inset: 0 };
  if (e.opacity !== 1) style.opacity = Math.max(0, Math.min(1, e.opacity));
  const transform: string[] = [];
  if (e.translateXPx !== 0 || e.translateYPx !== 0) transform.push(`translate(${e.translateXPx}px, ${e.translateYPx}px)`);
  if (e.rotateDeg !== 0) transform.push(`rotate(${e.rotateDeg}deg)`);
  if (e.scaleX !== 1 || e.scaleY !== 1) transform.push(`scale(${e.scaleX}, ${e.scaleY})`);
  if (transform.length > 0) {
    style.transform = transform.join(' ');
    style.transformOrigin = `${pct(e.originX)} ${pct(e.originY)}`;
  }
  const filter: string[] = [];
  if (e.blurPx > 0) filter.push(`blur(${e.blurPx}px)`);
  if (e.saturate !== 1) filter.push(`saturate(${e.saturate})`);
  if (e.hueRotateDeg !== 0) filter.push(`hue-rotate(${e.hueRotateDeg}deg)`);
  if (e.brightness !== 1) filter.push(`brightness(${e.brightness})`);
  if (filter.length > 0) style.filter = filter.join(' ');
  if (e.clip) style.clipPath = clipPath(e.clip, canvas);
  return style;
}
