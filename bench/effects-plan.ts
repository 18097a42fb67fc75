/**
 * The `effects` reference video (`npm run bench -- --draft effects`): shaped like the reference
 * (photos with Ken Burns and 叠化, a clip with sound, stroked captions, music and a voice), 30 s,
 * plus one of each thing the ffmpeg graph cannot draw alone: a 模糊 (blur) transition, a 向左擦除
 * wipe, a GIF sticker, a karaoke caption, a circle-masked video and a blurred canvas behind a
 * landscape clip on the main track. Sizes follow the canvas; `compact` packs every effect into
 * 4 s for the tests (hybrid against Remotion, frame by frame).
 */
import { REFERENCE_CANVAS, type AudioItem, type CaptionItem, type ClipItem } from './plan';

export interface MainPhoto {
  kind: 'photo';
  file: string;
  startSec: number;
  durationSec: number;
  zoom: [number, number];
  panX: [number, number];
}

export interface MainClip extends ClipItem {
  kind: 'clip';
  /** canvas_blur level (JianYing's 0.0625 / 0.375 / 0.75 / 1). */
  canvasBlur: number;
}

/** Into the next main-track item. */
export interface MainTransition {
  name: '叠化' | '模糊' | '向左擦除';
  sec: number;
}

export interface EffectsPlan {
  widthPx: number;
  heightPx: number;
  fps: number;
  durationSec: number;
  /** Back to back; transitions[i] joins main[i] and main[i + 1]. */
  main: (MainPhoto | MainClip)[];
  transitions: MainTransition[];
  /** A clip on a track above, scaled down and cut to a circle (圆形 mask). */
  masked: { file: string; startSec: number; durationSec: number; widthPx: number; heightPx: number; toneHz: number; scale: number; yHalf: number };
  /** A looping GIF sticker (10 fps, 2 s), scaled down, near the top. */
  gif: { file: string; startSec: number; durationSec: number; sizePx: number; loopSec: number; gifFps: number; scale: number; yHalf: number };
  captions: CaptionItem[];
  /** Sung word by word (white → yellow). */
  karaoke: { words: { text: string; startSec: number; endSec: number }[]; startSec: number; durationSec: number; yHalf: number; size: number };
  music: AudioItem;
  voice: AudioItem;
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

const CAPTION_PHRASES = ['清晨的第一缕阳光', '穿过城市的街道和人群', '我们走过山川与河流', '每一处风景都值得停留', '时间慢慢地流淌'];

export const effectsPlan = (canvas = REFERENCE_CANVAS, o: { compact?: boolean } = {}): EffectsPlan => {
  const scale = canvas.widthPx / REFERENCE_CANVAS.widthPx;
  const clipSize = { widthPx: even(1280 * scale), heightPx: even(720 * scale) };
  const photo = (i: number, startSec: number, durationSec: number): MainPhoto => ({
    kind: 'photo',
    file: `photo-${String(i + 1).padStart(2, '0')}.${i % 4 === 3 ? 'png' : 'jpg'}`,
    startSec,
    durationSec,
    zoom: i % 2 === 0 ? [1.05, 1.2] : [1.2, 1.05],
    panX: i % 2 === 0 ? [-0.04, 0.04] : [0.04, -0.04],
  });
  const landscape = (startSec: number, durationSec: number): MainClip => ({ kind: 'clip', file: 'clip-1.mp4', startSec, durationSec, ...clipSize, toneHz: 660, canvasBlur: 0.375 });
  const words = (startSec: number, wordSec: number) =>
    ['我们', '一起', '唱歌', '吧'].map((text, i) => ({ text, startSec: startSec + i * wordSec, endSec: startSec + (i + 1) * wordSec }));
  const audio = (durationSec: number) => ({
    music: { file: 'music.mp3', startSec: 0, durationSec, volume: 0.3, fadeInSec: 1, fadeOutSec: 2, toneHz: 220 },
    voice: { file: 'voice.mp3', startSec: 0, durationSec, volume: 1, fadeInSec: 0.5, fadeOutSec: 0.5, toneHz: 440 },
  });
  const base = { widthPx: even(canvas.widthPx), heightPx: even(canvas.heightPx), fps: 30 };

  if (o.compact) {
    // 4 s: the blur at 1 s, the blurred canvas 1–2 s, the wipe at 3 s; the rest on top throughout.
    return {
      ...base,
      durationSec: 4,
      main: [photo(0, 0, 1), landscape(1, 1), photo(1, 2, 1), photo(2, 3, 1)],
      transitions: [
        { name: '模糊', sec: 0.4 },
        { name: '叠化', sec: 0.4 },
        { name: '向左擦除', sec: 0.4 },
      ],
      masked: { file: 'clip-2.mp4', startSec: 0.5, durationSec: 3, ...clipSize, toneHz: 880, scale: 0.5, yHalf: 0.45 },
      gif: { file: 'sticker.gif', startSec: 0, durationSec: 4, sizePx: even(240 * scale), loopSec: 2, gifFps: 10, scale: 0.35, yHalf: 0.8 },
      captions: [],
      karaoke: { words: words(0.2, 0.8), startSec: 0, durationSec: 4, yHalf: -0.7, size: 9 },
      ...audio(4),
    };
  }
  // 30 s: six 5 s main items; the effects spread over it.
  const main = [photo(0, 0, 5), photo(1, 5, 5), landscape(10, 5), photo(2, 15, 5), photo(3, 20, 5), photo(4, 25, 5)];
  return {
    ...base,
    durationSec: 30,
    main,
    transitions: [
      { name: '叠化', sec: 0.5 },
      { name: '模糊', sec: 0.5 },
      { name: '叠化', sec: 0.5 },
      { name: '向左擦除', sec: 0.5 },
      { name: '叠化', sec: 0.5 },
    ],
    masked: { file: 'clip-2.mp4', startSec: 3, durationSec: 5, ...clipSize, toneHz: 880, scale: 0.5, yHalf: 0.45 },
    gif: { file: 'sticker.gif', startSec: 16, durationSec: 6, sizePx: even(240 * scale), loopSec: 2, gifFps: 10, scale: 0.35, yHalf: 0.6 },
    captions: Array.from({ length: 15 }, (_, i) => ({
      text: `${CAPTION_PHRASES[i % CAPTION_PHRASES.length]}（${i + 1}）`,
      startSec: i * 2,
      durationSec: 2,
      yHalf: -0.75,
      size: 9,
      strokeWidth: 0.08,
    })),
    karaoke: { words: words(20.3, 0.8), startSec: 20, durationSec: 6, yHalf: -0.5, size: 9 },
    ...audio(30),
  };
};
