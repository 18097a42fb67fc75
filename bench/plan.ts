/**
 * The reference video both sides of the benchmark make: our renderer gets it as a JianYing draft
 * (reference-draft.ts), the ffmpeg floor as a filter graph (floor.ts). Shaped like a typical Coze
 * short video. Sizes follow the canvas, so the tiny test makes the same video, only smaller.
 */

export interface PhotoItem {
  file: string;
  startSec: number;
  durationSec: number;
  /** Ken Burns: layer scale at the segment's start and end (KFTypeScale). */
  zoom: [number, number];
  /** Ken Burns: layer centre x in half-canvas units at start and end (KFTypePositionX). */
  panX: [number, number];
  /** 叠化 into the next photo (not on the last one). */
  crossFadeSec: number;
}

export interface ClipItem {
  file: string;
  startSec: number;
  durationSec: number;
  widthPx: number;
  heightPx: number;
  toneHz: number;
}

export interface CaptionItem {
  text: string;
  startSec: number;
  durationSec: number;
  /** Layer centre y in half-canvas units, y up. */
  yHalf: number;
  /** JianYing text size: em ≈ size × canvas width / 160. */
  size: number;
  strokeWidth: number;
}

export interface AudioItem {
  file: string;
  startSec: number;
  durationSec: number;
  volume: number;
  fadeInSec: number;
  fadeOutSec: number;
  toneHz: number;
}

export interface BenchPlan {
  widthPx: number;
  heightPx: number;
  fps: number;
  durationSec: number;
  photos: PhotoItem[];
  clips: ClipItem[];
  captions: CaptionItem[];
  music: AudioItem;
  voice: AudioItem;
}

export const REFERENCE_CANVAS = { widthPx: 1080, heightPx: 1920 };
const PHOTO_COUNT = 12;
const PHOTO_SEC = 5;
const CAPTION_COUNT = 30;
const CAPTION_SEC = 2;
const CROSS_FADE_SEC = 0.5;
/** The clips are 1280×720 at the reference canvas width. */
const CLIP_SIZE_AT_REFERENCE = { widthPx: 1280, heightPx: 720 };

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/** Phrases of different lengths, so caption boxes differ in width like real subtitles. */
const CAPTION_PHRASES = [
  '清晨的第一缕阳光',
  '穿过城市的街道和人群',
  '我们走过山川与河流',
  '每一处风景都值得停留',
  '时间慢慢地流淌',
  '记录下这一刻的美好',
];

export const referencePlan = (canvas = REFERENCE_CANVAS): BenchPlan => {
  const scale = canvas.widthPx / REFERENCE_CANVAS.widthPx;
  const photos: PhotoItem[] = Array.from({ length: PHOTO_COUNT }, (_, i) => ({
    file: `photo-${String(i + 1).padStart(2, '0')}.${i % 4 === 3 ? 'png' : 'jpg'}`,
    startSec: i * PHOTO_SEC,
    durationSec: PHOTO_SEC,
    // Alternate zoom in / zoom out and drift left / right; ≥ 1.05 so the drift never shows an edge.
    zoom: i % 2 === 0 ? [1.05, 1.2] : [1.2, 1.05],
    panX: i % 2 === 0 ? [-0.04, 0.04] : [0.04, -0.04],
    crossFadeSec: i < PHOTO_COUNT - 1 ? CROSS_FADE_SEC : 0,
  }));
  const clips: ClipItem[] = [10, 40].map((startSec, i) => ({
    file: `clip-${i + 1}.mp4`,
    startSec,
    durationSec: 5,
    widthPx: even(CLIP_SIZE_AT_REFERENCE.widthPx * scale),
    heightPx: even(CLIP_SIZE_AT_REFERENCE.heightPx * scale),
    toneHz: 660 + 220 * i,
  }));
  const captions: CaptionItem[] = Array.from({ length: CAPTION_COUNT }, (_, i) => ({
    text: `${CAPTION_PHRASES[i % CAPTION_PHRASES.length]}（${i + 1}）`,
    startSec: i * CAPTION_SEC,
    durationSec: CAPTION_SEC,
    yHalf: -0.75,
    size: 9,
    strokeWidth: 0.08,
  }));
  const durationSec = PHOTO_COUNT * PHOTO_SEC;
  return {
    widthPx: even(canvas.widthPx),
    heightPx: even(canvas.heightPx),
    fps: 30,
    durationSec,
    photos,
    clips,
    captions,
    music: { file: 'music.mp3', startSec: 0, durationSec, volume: 0.3, fadeInSec: 1, fadeOutSec: 2, toneHz: 220 },
    voice: { file: 'voice.mp3', startSec: 0, durationSec, volume: 1, fadeInSec: 0.5, fadeOutSec: 0.5, toneHz: 440 },
  };
};
