import React from 'react';
import { useCurrentFrame } from 'remotion';
import { blurEdgeScale, type BoxRect } from '../../timeline/picture';
import type { VisualLayer } from '../../timeline/types';
import { MaskedContent } from './MaskedContent';
import { blurRadiusPx, cropPlacement, cssFilter } from './picture-style';

const fillsBox = (area: BoxRect | undefined, box: VisualLayer['boxPx']) =>
  !area || (area.left === 0 && area.top === 0 && area.width === box.width && area.height === box.height);

/**
 * A media layer's picture inside its box: `area` is where the picture lies in the box (pictureRect:
 * the whole box unless contain-fitted), the crop picks the part of the source that fills it, the
 * filters colour it, the mask (in box pixels) cuts it. The media element inside fills its parent.
 * Without any of these it adds nothing to the page.
 */
export const LayerPicture: React.FC<{ layer: VisualLayer; area?: BoxRect; children: React.ReactNode }> = ({ layer, area, children }) => {
  const frame = useCurrentFrame();
  const { crop, mask, filters } = layer;
  const whole = fillsBox(area, layer.boxPx);
  if (!crop && !mask && !(filters && filters.length > 0) && whole) return <>{children}</>;

  const filter = cssFilter(filters, frame);
  const edgeScale = blurEdgeScale(blurRadiusPx(filters, frame), area ?? layer.boxPx);
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
  if (!whole && area) {
    picture = <div style={{ position: 'absolute', left: area.left, top: area.top, width: area.width, height: area.height }}>{picture}</div>;
  }
  return mask ? (
    <MaskedContent mask={mask} box={layer.boxPx}>
      {picture}
    </MaskedContent>
  ) : (
    picture
  );
};
