import React from 'react';
import type { TextBlock, TextLayer, TextRun } from '../../timeline/types';
import { LayerBox } from '../LayerBox';

const runStyle = (run: TextRun): React.CSSProperties => ({
  fontFamily: `"${run.fontFamily}", "Noto Sans SC", sans-serif`,
  fontWeight: run.fontWeight,
  fontSize: run.fontSizePx,
  fontStyle: run.italic ? 'italic' : 'normal',
  textDecoration: run.underline ? 'underline' : 'none',
  color: run.color,
});

const blockStyle = (block: TextBlock): React.CSSProperties => ({
  maxWidth: block.maxWidthPx,
  width: 'max-content',
  lineHeight: block.lineHeight,
  letterSpacing: block.letterSpacingPx,
  textAlign: block.align,
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
  writingMode: block.vertical ? 'vertical-rl' : 'horizontal-tb',
  ...(block.vertical ? { maxHeight: block.maxWidthPx, maxWidth: undefined } : {}),
});

/**
 * The stroke is a copy of the text drawn underneath with a stroke twice as wide: CSS strokes
 * straddle the glyph outline, and the fill on top hides the inner half, as JianYing draws it.
 */
const Runs: React.FC<{ runs: TextRun[]; strokeLayer: boolean }> = ({ runs, strokeLayer }) => (
  <>
    {runs.map((run, i) => {
      const style = runStyle(run);
      if (strokeLayer) {
        const stroke = run.stroke;
        Object.assign(style, {
          color: stroke ? stroke.color : 'transparent',
          WebkitTextStroke: stroke ? `${stroke.widthPx * 2}px ${stroke.color}` : undefined,
        });
      }
      return (
        <span key={i} style={style}>
          {run.text}
        </span>
      );
    })}
  </>
);

export const TextLayerView: React.FC<{ layer: TextLayer }> = ({ layer }) => {
  const block = layer.text;
  const hasStroke = block.runs.some((r) => r.stroke && r.stroke.widthPx > 0);
  const shadow = block.shadow;
  const background = block.background;
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
        <div
          style={{
            position: 'relative',
            ...blockStyle(block),
            ...(background
              ? { backgroundColor: background.color, padding: background.paddingPx, borderRadius: background.radiusPx }
              : {}),
            filter: shadow
              ? `drop-shadow(${shadow.offsetXPx}px ${shadow.offsetYPx}px ${shadow.blurPx}px ${shadow.color})`
              : undefined,
          }}
        >
          {hasStroke ? (
            <div aria-hidden style={{ position: 'absolute', inset: background ? background.paddingPx : 0 }}>
              <Runs runs={block.runs} strokeLayer />
            </div>
          ) : null}
          <div style={{ position: 'relative' }}>
            <Runs runs={block.runs} strokeLayer={false} />
          </div>
        </div>
      </div>
    </LayerBox>
  );
};
