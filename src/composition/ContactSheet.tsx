import React from 'react';
import { Freeze } from 'remotion';
import type { Timeline } from '../timeline/types';
import { DraftVideo } from './DraftVideo';

export interface ContactSheetProps extends Record<string, unknown> {
  timeline: Timeline;
  /** Frames to show, in reading order. */
  frames: number[];
  columns: number;
  thumbWidthPx: number;
}

export const SHEET_LABEL_HEIGHT_PX = 28;
export const SHEET_GAP_PX = 8;

/** Thumbnail height for a timeline's aspect ratio. */
export const thumbHeightPx = (timeline: Timeline, thumbWidthPx: number): number =>
  Math.round((thumbWidthPx * timeline.heightPx) / timeline.widthPx);

/** Size of the whole sheet image. */
export const sheetSizePx = (p: ContactSheetProps): { width: number; height: number } => {
  const rows = Math.max(1, Math.ceil(p.frames.length / p.columns));
  const cellHeight = thumbHeightPx(p.timeline, p.thumbWidthPx) + SHEET_LABEL_HEIGHT_PX;
  return {
    width: p.columns * p.thumbWidthPx + (p.columns + 1) * SHEET_GAP_PX,
    height: rows * cellHeight + (rows + 1) * SHEET_GAP_PX,
  };
};

const timestamp = (frame: number, fps: number) => {
  const sec = frame / fps;
  const m = Math.floor(sec / 60);
  const s = (sec - m * 60).toFixed(2).padStart(5, '0');
  return `${m}:${s}  #${frame}`;
};

/**
 * A grid of the draft's frames at chosen times: each cell is the full composition frozen at one
 * frame and scaled down, so the sheet shows exactly what the render draws.
 */
export const ContactSheet: React.FC<ContactSheetProps> = ({ timeline, frames, columns, thumbWidthPx }) => {
  const scale = thumbWidthPx / timeline.widthPx;
  const thumbHeight = thumbHeightPx(timeline, thumbWidthPx);
  return (
    <div
      style={{
        position: 'absolute',
        inset: 0,
        backgroundColor: '#202020',
        display: 'grid',
        gridTemplateColumns: `repeat(${columns}, ${thumbWidthPx}px)`,
        gap: SHEET_GAP_PX,
        padding: SHEET_GAP_PX,
        alignContent: 'start',
      }}
    >
      {frames.map((frame, i) => (
        <div key={`${i}-${frame}`}>
          <div style={{ position: 'relative', width: thumbWidthPx, height: thumbHeight, overflow: 'hidden' }}>
            <div
              style={{
                position: 'absolute',
                left: 0,
                top: 0,
                width: timeline.widthPx,
                height: timeline.heightPx,
                transform: `scale(${scale})`,
                transformOrigin: 'top left',
              }}
            >
              <Freeze frame={frame}>
                <DraftVideo timeline={timeline} />
              </Freeze>
            </div>
          </div>
          <div
            style={{
              height: SHEET_LABEL_HEIGHT_PX,
              lineHeight: `${SHEET_LABEL_HEIGHT_PX}px`,
              color: '#e0e0e0',
              fontFamily: '"Noto Sans SC", sans-serif',
              fontSize: 16,
            }}
          >
            {timestamp(frame, timeline.fps)}
          </div>
        </div>
      ))}
    </div>
  );
};
