/** The composition that draws a timeline; renders select it by this name. */
export const COMPOSITION_ID = 'Draft';
/** A still: a grid of a timeline's frames (npm run sheet). */
export const SHEET_ID = 'Sheet';
/** Single layers on a transparent canvas, one per frame (the compositor's stills, src/render/compositor). */
export const STILLS_ID = 'LayerStills';
