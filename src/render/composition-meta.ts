/**
 * A composition's metadata as Root's calculateMetadata gives it: a render passes it to Remotion
 * instead of asking a page for it (selectComposition cost ~0.5 s per render).
 */
export const compositionMeta = (m: { id: string; width: number; height: number; fps: number; durationInFrames: number; props: Record<string, unknown> }) => ({
  ...m,
  defaultProps: {},
  defaultCodec: null,
  defaultOutName: null,
  defaultVideoImageFormat: null,
  defaultPixelFormat: null,
  defaultProResProfile: null,
  defaultSampleRate: null,
});
