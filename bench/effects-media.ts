/** Synthetic media of the effects video (bench/effects-plan.ts), made like the reference's (media.ts). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EffectsPlan } from './effects-plan';
import { captionEmPx, captionsArgs, clipArgs, photosArgs, runFfmpegJobs, toneArgs } from './media';

/** The karaoke caption's stand-ins for the floor: its box in white (before) and in gold (sung). */
export const KARAOKE_IMAGES = ['karaoke-white.png', 'karaoke-gold.png'];
/** The circle the floor cuts the masked clip with (white disc, alpha outside). */
export const CIRCLE_MASK = 'circle.png';

export const karaokeBoxPx = (plan: EffectsPlan) => {
  const em = captionEmPx(plan, plan.karaoke);
  const chars = plan.karaoke.words.reduce((n, w) => n + [...w.text].length, 0);
  const even = (n: number) => 2 * Math.ceil(n / 2);
  return { widthPx: even(chars * em), heightPx: even(em * 1.3) };
};

/** `smooth`: without the noise that makes the encoder work as on real footage (tests compare pixels). */
export const makeEffectsMedia = async (plan: EffectsPlan, mediaDir: string, floorDir: string, o: { smooth?: boolean } = {}): Promise<void> => {
  mkdirSync(mediaDir, { recursive: true });
  mkdirSync(floorDir, { recursive: true });
  const photos = plan.main.flatMap((m) => (m.kind === 'photo' ? [{ file: m.file }] : []));
  const clips = [...plan.main.filter((m) => m.kind === 'clip'), plan.masked].map((c) => ({ ...c, durationSec: c.durationSec + 0.5 }));
  const g = plan.gif;
  const k = karaokeBoxPx(plan);
  const m = plan.masked;
  const maskSize = `${Math.round(m.widthPx * m.scale)}x${Math.round(m.heightPx * m.scale)}`;
  const jobs: string[][] = [
    photosArgs({ ...plan, photos }, mediaDir, o),
    ...clips.map((c) => clipArgs(plan, c, path.join(mediaDir, c.file), o)),
    [
      '-f', 'lavfi', '-i', `testsrc2=s=${g.sizePx}x${g.sizePx}:r=${g.gifFps}:d=${g.loopSec}`,
      '-vf', 'split[a][b];[a]palettegen=max_colors=64[p];[b][p]paletteuse', '-loop', '0', path.join(mediaDir, g.file),
    ],
    toneArgs(plan.music, path.join(mediaDir, plan.music.file)),
    toneArgs(plan.voice, path.join(mediaDir, plan.voice.file)),
    ...KARAOKE_IMAGES.map((file, i) => [
      '-f', 'lavfi', '-i', `color=c=${i ? '0xFFD700' : 'white'}:s=${k.widthPx}x${k.heightPx}`, '-frames:v', '1', path.join(floorDir, file),
    ]),
    [
      '-f', 'lavfi', '-i', `color=c=white:s=${maskSize},format=rgba`,
      '-vf', `geq=r=255:g=255:b=255:a='255*lte(hypot(X-W/2\\,Y-H/2)\\,H/2)'`, '-frames:v', '1', path.join(floorDir, CIRCLE_MASK),
    ],
  ];
  if (plan.captions.length > 0) jobs.push(captionsArgs(plan, floorDir));
  await runFfmpegJobs(jobs);
};
