export { renderDraft } from './render-draft';
export { renderTimeline, DEFAULT_ENCODE, type EncodeSettings, type FrameProgress } from './render-timeline';
export type { RenderDraftOptions, RenderProgress, RenderResult, Stage } from './types';
