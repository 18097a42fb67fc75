/**
 * `compositor`: one ffmpeg run, the browser drawing only stills (src/render/compositor);
 * `remotion`: the browser draws every frame; `auto`: the compositor when it can draw the
 * timeline exactly, else Remotion. RENDER_ENGINE sets the default.
 */
export type RenderEngine = 'auto' | 'compositor' | 'remotion';

export const RENDER_ENGINES = ['auto', 'compositor', 'remotion'] as const satisfies readonly RenderEngine[];

/** [first, end) frames of the timeline. */
export type FrameRange = [number, number];
