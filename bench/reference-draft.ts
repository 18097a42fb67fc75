/** The reference plan as a JianYing draft (draft-format.md), with every material at an http URL. */
import { DraftBuilder, type KeyframeJson } from '../test/helpers/draft-builder';
import type { AudioItem, BenchPlan, CaptionItem } from './plan';

const US_PER_SEC = 1_000_000;
export const us = (sec: number) => Math.round(sec * US_PER_SEC);

export const kenBurns = (zoom: [number, number], panX: [number, number], durationSec: number): KeyframeJson[] => [
  {
    property_type: 'KFTypeScale',
    keyframe_list: [
      { time_offset: 0, values: [zoom[0], zoom[0]], curveType: 'Line' },
      { time_offset: us(durationSec), values: [zoom[1], zoom[1]], curveType: 'Line' },
    ],
  },
  {
    property_type: 'KFTypePositionX',
    keyframe_list: [
      { time_offset: 0, values: [panX[0]], curveType: 'Line' },
      { time_offset: us(durationSec), values: [panX[1]], curveType: 'Line' },
    ],
  },
];

export const referenceDraft = (plan: BenchPlan, url: (file: string) => string): Record<string, unknown> => {
  const d = new DraftBuilder({ width: plan.widthPx, height: plan.heightPx, fps: plan.fps });

  d.track(
    'video',
    plan.photos.map((p) => ({
      materialId: d.video(url(p.file), { width: plan.widthPx, height: plan.heightPx, durationUs: 0, photo: true }),
      startUs: us(p.startSec),
      durationUs: us(p.durationSec),
      keyframes: kenBurns(p.zoom, p.panX, p.durationSec),
      refs: p.crossFadeSec > 0 ? [d.transition('叠化', us(p.crossFadeSec))] : [],
    })),
  );

  // Scale 1 = contain-fitted to the canvas: full width, centred.
  d.track(
    'video',
    plan.clips.map((c) => ({
      materialId: d.video(url(c.file), { width: c.widthPx, height: c.heightPx, durationUs: us(c.durationSec) }),
      startUs: us(c.startSec),
      durationUs: us(c.durationSec),
    })),
  );

  captionTrack(d, plan.captions);
  for (const a of [plan.music, plan.voice]) audioTrack(d, url, a);
  return d.toJSON();
};

/** White captions with a black stroke, each at its height. */
export const captionTrack = (d: DraftBuilder, captions: CaptionItem[]) =>
  d.track(
    'text',
    captions.map((c) => ({
      materialId: d.text(c.text, { size: c.size, color: [1, 1, 1], strokeColor: [0, 0, 0], strokeWidth: c.strokeWidth }),
      startUs: us(c.startSec),
      durationUs: us(c.durationSec),
      clip: { transform: { x: 0, y: c.yHalf } },
    })),
  );

/** A sound on a track of its own, with its volume and fades. */
export const audioTrack = (d: DraftBuilder, url: (file: string) => string, a: AudioItem) =>
  d.track('audio', [
    {
      materialId: d.audio(url(a.file), us(a.durationSec)),
      startUs: us(a.startSec),
      durationUs: us(a.durationSec),
      volume: a.volume,
      refs: [d.audioFade(us(a.fadeInSec), us(a.fadeOutSec))],
    },
  ]);
