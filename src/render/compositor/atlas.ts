/**
 * Where the browser draws the compositor's tiles: frames of the canvas's size (the browser draws a
 * frame at a time, and most of its cost is per frame, not per pixel), each holding as many tiles
 * as fit. A drawing with several states gets frames of its own, its tiles on a grid (ffmpeg cuts
 * them apart with `untile`); single tiles share frames, shelf by shelf. The layout is made once
 * for the whole video: a chunk draws the frames it needs, and a frame holds the same tiles in the
 * same places whichever chunk (or farm worker) draws it.
 */
import type { Canvas } from '../../timeline/picture';
import type { Drawing } from './drawing';

export interface AtlasTile {
  drawing: number;
  state: number;
  x: number;
  y: number;
}

export interface DrawingTiles {
  /** Per state: the atlas frame and the tile's top-left corner in it. */
  at: { frame: number; x: number; y: number }[];
  /** Several states on a grid of frames of their own: `cols × rows` tiles of the window's size. */
  grid?: { cols: number; rows: number };
}

export interface Atlas {
  /** Frame i of the browser's drawing: its tiles. */
  frames: AtlasTile[][];
  /** By drawing. */
  drawings: DrawingTiles[];
}

export function layoutAtlas(drawings: readonly Drawing[], canvas: Canvas): Atlas {
  const frames: AtlasTile[][] = [];
  const out: DrawingTiles[] = drawings.map(() => ({ at: [] }));
  // Shelf packing of single tiles: the open frame, its current shelf.
  let open = -1;
  let shelfY = 0;
  let shelfH = 0;
  let x = 0;
  drawings.forEach((d, index) => {
    const { width: w, height: h } = d.window;
    if (w > canvas.width || h > canvas.height) throw new Error(`drawing ${d.id} (${w}×${h}) does not fit a ${canvas.width}×${canvas.height} frame`);
    if (d.states.length > 1) {
      const cols = Math.max(1, Math.floor(canvas.width / w));
      const rows = Math.max(1, Math.floor(canvas.height / h));
      const perFrame = cols * rows;
      const first = frames.length;
      for (let f = 0; f < Math.ceil(d.states.length / perFrame); f++) frames.push([]);
      out[index].grid = { cols, rows };
      d.states.forEach((_, state) => {
        const frame = first + Math.floor(state / perFrame);
        const cell = state % perFrame;
        const at = { frame, x: (cell % cols) * w, y: Math.floor(cell / cols) * h };
        out[index].at.push(at);
        frames[frame].push({ drawing: index, state, x: at.x, y: at.y });
      });
      return;
    }
    if (open < 0 || x + w > canvas.width) {
      // Next shelf, or a new frame.
      shelfY += shelfH;
      shelfH = 0;
      x = 0;
    }
    if (open < 0 || shelfY + h > canvas.height) {
      frames.push([]);
      open = frames.length - 1;
      shelfY = 0;
      shelfH = 0;
      x = 0;
    }
    const at = { frame: open, x, y: shelfY };
    out[index].at.push(at);
    frames[open].push({ drawing: index, state: 0, x, y: shelfY });
    x += w;
    shelfH = Math.max(shelfH, h);
  });
  return { frames, drawings: out };
}
