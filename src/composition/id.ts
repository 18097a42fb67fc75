/** The id of the one composition; renders select it by this name. */
export const COMPOSITION_ID = 'Draft';
