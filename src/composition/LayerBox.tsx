import React from 'react';
import { useCurrentFrame, useVideoConfig } from 'remotion';
import type { VisualLayer } from '../timeline/types';
import { flashAt, layerPoseAt, layerTransitionEffects } from '../timeline/picture';
import { canvasEffectStyle } from './transition-style';

/**
 * Places a layer: its fitted box centred on the (animated) centre, then rotation, scale, flip and
 * opacity about that centre, with its animations' pose on top. Transitions act on the layer's
 * whole canvas picture (a push moves it by a canvas, a wipe clips the canvas), so they wrap the box
 * in full-canvas layers: the outgoing side outside, the incoming side inside. A flash's colour is
 * laid over the canvas after the layer. Everything inside is drawn to fill the box. The numbers
 * come from timeline/picture, which the compositor places pictures by: this only writes CSS.
 */
export const LayerBox: React.FC<{ layer: VisualLayer; children: React.ReactNode }> = ({ layer, children }) => {
  const frame = useCurrentFrame();
  const { width: canvasWidth, height: canvasHeight } = useVideoConfig();
  const canvas = { width: canvasWidth, height: canvasHeight };
  const { width, height } = layer.boxPx;
  const pose = layerPoseAt(layer, frame);
  const effects = layerTransitionEffects(layer, frame, canvas);
  const flash = flashAt(layer, frame);
  return (
    <>
      <div style={canvasEffectStyle(effects.out, canvas)}>
        <div style={canvasEffectStyle(effects.in, canvas)}>
          <div
            style={{
              position: 'absolute',
              left: pose.centerXPx - width / 2,
              top: pose.centerYPx - height / 2,
              width,
              height,
              transform: `rotate(${pose.rotationDeg}deg) scale(${pose.scaleX}, ${pose.scaleY})`,
              opacity: pose.opacity,
              ...(pose.blurPx > 0 ? { filter: `blur(${pose.blurPx}px)` } : {}),
            }}
          >
            {children}
          </div>
        </div>
      </div>
      {flash && flash.opacity > 0 ? (
        <div style={{ position: 'absolute', inset: 0, backgroundColor: flash.color, opacity: flash.opacity }} />
      ) : null}
    </>
  );
};
