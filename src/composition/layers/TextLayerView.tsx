import React from 'react';
import { useCurrentFrame } from 'remotion';
import type { TextLayer } from '../../timeline/types';
import { LayerBox } from '../LayerBox';
import { revealPieces, type RunPiece } from '../../timeline/picture/text-reveal';
import { blockStyle, fillRunStyle, strokeRunStyle, textWrapStyle } from '../text/text-style';

/** Not-yet-revealed characters keep their place (hidden); partly revealed ones are faded. */
const revealStyle = (piece: RunPiece): React.CSSProperties =>
  piece.opacity <= 0 ? { visibility: 'hidden' } : piece.opacity < 1 ? { opacity: piece.opacity } : {};

/**
 * A text block centred on the layer's centre (the engine's rule: text is centred on its transform
 * point). Inside the box: the stroke copy under the fill copy, both laid out identically, each
 * revealed character by character when the layer has a `reveal`.
 */
export const TextLayerView: React.FC<{ layer: TextLayer }> = ({ layer }) => {
  const frame = useCurrentFrame();
  const block = layer.text;
  const hasStroke = block.runs.some((r) => r.stroke && r.stroke.widthPx > 0);
  const pieces = revealPieces(block.runs, layer.reveal, frame);
  return (
    <LayerBox layer={layer}>
      <div
        style={{
          position: 'absolute',
          inset: 0,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
        }}
      >
        <div style={blockStyle(block)}>
          <div style={textWrapStyle(block)}>
            {hasStroke ? (
              <div aria-hidden style={{ position: 'absolute', inset: 0 }}>
                {pieces.map((piece, i) => (
                  <span key={i} style={{ ...strokeRunStyle(piece.run), ...revealStyle(piece) }}>
                    {piece.text}
                  </span>
                ))}
              </div>
            ) : null}
            <div style={{ position: 'relative' }}>
              {pieces.map((piece, i) => (
                <span key={i} style={{ ...fillRunStyle(piece.run, frame, block.vertical), ...revealStyle(piece) }}>
                  {piece.text}
                </span>
              ))}
            </div>
          </div>
        </div>
      </div>
    </LayerBox>
  );
};
