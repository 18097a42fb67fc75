import React from 'react';
import { AbsoluteFill } from 'remotion';
import type { VisualLayer } from '../../timeline/types';

/**
 * Studio can open a draft whose files are not local yet; show where the media would be instead
 * of failing. Renders never get here: missing materials fail before rendering starts.
 */
export const MissingMedia: React.FC<{ layer: VisualLayer }> = ({ layer }) => (
  <AbsoluteFill
    style={{
      border: '4px dashed rgba(255,255,255,0.6)',
      color: 'rgba(255,255,255,0.8)',
      fontSize: 24,
      justifyContent: 'center',
      alignItems: 'center',
      fontFamily: 'sans-serif',
    }}
  >
    {layer.kind} {layer.id}
  </AbsoluteFill>
);
