import React from 'react';
import { useCurrentFrame } from 'remotion';
import { valueAt } from '../timeline/track';
import type { VisualLayer } from '../timeline/types';
import { transitionOpacity } from './transition-style';

/**
 * Places a layer: its fitted box centred on the (animated) centre, then rotation, scale, flip and
 * opacity about that centre. Everything inside is drawn to fill the box.
 */
export const LayerBox: React.FC<{ layer: VisualLayer; children: React.ReactNode }> = ({ layer, children }) => {
  const frame = useCurrentFrame();
  const g = layer.geometry;
  const { width, height } = layer.boxPx;
  const centerX = valueAt(g.centerXPx, frame);
  const centerY = valueAt(g.centerYPx, frame);
  const scaleX = valueAt(g.scaleX, frame) * (g.flipX ? -1 : 1);
  const scaleY = valueAt(g.scaleY, frame) * (g.flipY ? -1 : 1);
  const rotationDeg = valueAt(g.rotationDeg, frame);
  const opacity = valueAt(g.opacity, frame) * transitionOpacity(layer, frame);
  return (
    <div
      style={{
        position: 'absolute',
        left: centerX - width / 2,
        top: centerY - height / 2,
        width,
        height,
        transform: `rotate(${rotationDeg}deg) scale(${scaleX}, ${scaleY})`,
        opacity: Math.max(0, Math.min(1, opacity)),
      }}
    >
      {children}
    </div>
  );
};
