/** What the compositor asks the browser to draw (planned in plan.ts, laid out in atlas.ts). */
import type { Background, VisualLayer } from '../../timeline/types';

/** A rectangle of canvas pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type DrawingMode = 'neutral' | 'posed' | 'mask';

/** What the browser draws for the compositor: one timeline item at some of its frames, a tile each. */
export interface Drawing {
  /** Names its files and graph labels. */
  id: string;
  /** The layer (or background) it draws, for the report. */
  layerId: string;
  kind: VisualLayer['kind'] | 'background';
  /** Why ffmpeg cannot draw it alone. */
  why: string;
  mode: DrawingMode;
  /** As drawn: neutralised (neutral, mask) or as it is (posed). */
  layer?: VisualLayer;
  background?: Background;
  /** The canvas region each tile shows. */
  window: Rect;
  /** Frames of the layer drawn, in order: tile i is state i. */
  states: number[];
  /** Text drawn in an estimated window: its tiles' edges must stay clear. */
  checkEdges: boolean;
  /** A single tile cut to its visible part once drawn (its extent is known then). */
  trim: boolean;
}
