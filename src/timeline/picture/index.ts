/**
 * Picture math, once for both engines: where a layer is on a frame (key frames, animations,
 * transition effects), how its picture fits its box, which source moment a video shows
 * (../source-time.ts) and what its content is at a frame (text reveals, karaoke sweeps). The
 * React composition turns these numbers into CSS; the compositor into ffmpeg placements. Pure: the
 * composition bundle imports it.
 */
export * from './effects';
export * from './fit';
export * from './pose';
export * from './text-reveal';
export * from './gif';
export * from './text-extent';
