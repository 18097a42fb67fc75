import React from 'react';
import { useCurrentFrame } from 'remotion';
import type { VisualLayer } from '../../timeline/types';
import { MaskedContent } from './MaskedContent';
import { blurEdgeScale, blurRadiusPx, cropPlacement, cssFilter } from './picture-style';

/**
 * A media layer's picture inside its box: the crop picks the part of the source that fills the
 * box, the filters colour it, the mask cuts it. The media element inside fills its parent.
 * Without any of these it adds nothing to the page.
 */
export const LayerPicture: React.FC<{ layer: VisualLayer; children: React.ReactNode }> = ({ layer, children }) => {
  const frame = useCurrentFrame();
  const { crop, mask, filters } = layer;
  if (!crop && !mask && !(filters && filters.length > 0)) return <>{children}</>;

  const filter = cssFilter(filters, frame);
  const edgeScale = blurEdgeScale(blurRadiusPx(filters, frame), layer.boxPx);
  let picture = (
    <div style={{ ...(crop ? cropPlacement(crop) : { position: 'absolute', inset: 0 }), filter }}>{children}</div>
  );
  if (crop || edgeScale !== 1) {
    picture = (
      <div style={{ position: 'absolute', inset: 0, overflow: 'hidden' }}>
        <div style={{ position: 'absolute', inset: 0, transform: edgeScale !== 1 ? `scale(${edgeScale})` : undefined }}>
          {picture}
        </div>
      </div>
    );
  }
  return mask ? (
    <MaskedContent mask={mask} box={layer.boxPx}>
      {picture}
    </MaskedContent>
  ) : (
    picture
  );
};
