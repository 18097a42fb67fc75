export { renderDraft } from './render-draft';
export { renderTimeline, type FrameProgress } from './render-timeline';
export { renderSettings, DEFAULT_ENCODE, type EncodeSettings, type RenderSettings } from './settings';
export type { RenderDraftOptions, RenderProgress, RenderResult, Stage } from './types';
