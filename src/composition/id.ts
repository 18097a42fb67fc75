/** The composition that draws a timeline; renders select it by this name. */
export const COMPOSITION_ID = 'Draft';
/** A still: a grid of a timeline's frames (npm run sheet). */
export const SHEET_ID = 'Sheet';
/** Layers at chosen frames, tiled on a transparent canvas: what the compositor has the browser draw. */
export const TILES_ID = 'LayerTiles';
