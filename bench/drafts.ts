/**
 * The benchmark's videos (`--draft`): each one a draft for our renderer, its media, and the same
 * pixel and sound work as one ffmpeg graph (the floor).
 */
import { effectsDraft } from './effects-draft';
import { effectsFloorArgs } from './effects-floor';
import { makeEffectsMedia } from './effects-media';
import { effectsPlan } from './effects-plan';
import { floorArgs, toFrames, type FloorOptions } from './floor';
import { makeBenchMedia } from './media';
import { referencePlan } from './plan';
import { referenceDraft } from './reference-draft';

export const BENCH_DRAFTS = ['reference', 'effects'] as const;
export type BenchDraftName = (typeof BENCH_DRAFTS)[number];


export interface BenchDraft {
  name: BenchDraftName;
  widthPx: number;
  heightPx: number;
  fps: number;
  durationSec: number;
  /** What the video holds, one line. */
  contents: string;
  /** What the floor's graph does, one line. */
  floorContents: string;
  makeMedia(mediaDir: string, floorDir: string): Promise<void>;
  draft(url: (file: string) => string): Record<string, unknown>;
  floorArgs(o: FloorOptions): string[];
  /** Frames of the first `cutSec` seconds. */
  frames(cutSec: number): number;
}

export const benchDraft = (name: BenchDraftName, canvas: { widthPx: number; heightPx: number }): BenchDraft => {
  const common = (plan: { widthPx: number; heightPx: number; fps: number; durationSec: number }) => ({
    name,
    widthPx: plan.widthPx,
    heightPx: plan.heightPx,
    fps: plan.fps,
    durationSec: plan.durationSec,
    frames: (cutSec: number) => Math.min(toFrames(cutSec, plan.fps), toFrames(plan.durationSec, plan.fps)),
  });
  if (name === 'effects') {
    const plan = effectsPlan(canvas);
    return {
      ...common(plan),
      contents: '5 photos (Ken Burns; 叠化, 模糊, 向左擦除), a clip over its blurred canvas, a circle-masked clip, a GIF sticker, 15 stroked captions, a karaoke caption, music + voice',
      floorContents: 'zoompan + xfade (fade, hblur, wipeleft), gblur canvas, alphamerge circle, looped GIF input, caption and karaoke images, afade/amix',
      makeMedia: (mediaDir, floorDir) => makeEffectsMedia(plan, mediaDir, floorDir),
      draft: (url) => effectsDraft(plan, url),
      floorArgs: (o) => effectsFloorArgs(plan, o),
    };
  }
  const plan = referencePlan(canvas);
  return {
    ...common(plan),
    contents: '12 photos (Ken Burns, 叠化), 2 clips with sound, 30 stroked captions, music + voice with fades',
    floorContents: 'zoompan, xfade, scale + overlay of the clips, caption images, afade/amix',
    makeMedia: (mediaDir, floorDir) => makeBenchMedia(plan, mediaDir, floorDir),
    draft: (url) => referenceDraft(plan, url),
    floorArgs: (o) => floorArgs(plan, o),
  };
};
