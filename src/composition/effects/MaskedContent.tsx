import React, { useId } from 'react';
import type { LayerMask } from '../../timeline/types';
import { maskPath } from './mask-shapes';

/**
 * Draws its children through a layer mask (in box pixels). The mask is an inline SVG <mask>
 * referenced by CSS: it is part of the page, so it is ready on the frame it first appears (a CSS
 * image would load asynchronously). A feather is a Gaussian blur of the outline (σ = a quarter of
 * the soft edge's width, so the edge fades over about ±2σ); invert flips the mask's alpha.
 */
export const MaskedContent: React.FC<{
  mask: LayerMask;
  box: { width: number; height: number };
  children: React.ReactNode;
}> = ({ mask, box, children }) => {
  // useId gives ':r1:'-style ids: keep only characters that need no escaping in url(#…).
  const id = `gv-mask-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const { width: w, height: h } = box;
  const sigma = mask.featherPx / 4;
  const needsFilter = sigma > 0 || mask.invert;
  // The outline reaches past the box at any rotation; the filter region leaves room for the blur.
  const reach = 2 * Math.hypot(w, h) + Math.abs(mask.centerXPx) + Math.abs(mask.centerYPx);
  return (
    <>
      <svg width={0} height={0} style={{ position: 'absolute' }} aria-hidden>
        <defs>
          {needsFilter ? (
            <filter
              id={`${id}-f`}
              filterUnits="userSpaceOnUse"
              x={-w}
              y={-h}
              width={3 * w}
              height={3 * h}
              colorInterpolationFilters="sRGB"
            >
              {sigma > 0 ? <feGaussianBlur stdDeviation={sigma} /> : null}
              {mask.invert ? (
                <feComponentTransfer>
                  <feFuncA type="table" tableValues="1 0" />
                </feComponentTransfer>
              ) : null}
            </filter>
          ) : null}
          <mask
            id={id}
            maskUnits="userSpaceOnUse"
            maskContentUnits="userSpaceOnUse"
            x={0}
            y={0}
            width={w}
            height={h}
            style={{ maskType: 'alpha' }}
          >
            <g filter={needsFilter ? `url(#${id}-f)` : undefined}>
              <path
                d={maskPath(mask, reach)}
                fill="white"
                transform={`rotate(${mask.rotationDeg} ${mask.centerXPx} ${mask.centerYPx})`}
              />
            </g>
          </mask>
        </defs>
      </svg>
      <div style={{ position: 'absolute', inset: 0, mask: `url(#${id})` }}>{children}</div>
    </>
  );
};
