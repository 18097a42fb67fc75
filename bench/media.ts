/**
 * Synthetic media for the reference video, made with Debian's ffmpeg (its lavfi sources; the
 * ffmpeg Remotion bundles has none). Patterns and noise rather than flat colours, so JPEG/H.264
 * decoding and encoding cost roughly what real photos and footage cost.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchPlan, CaptionItem } from './plan';

export const SYSTEM_FFMPEG = process.env.BENCH_FFMPEG ?? '/usr/bin/ffmpeg';

const run = promisify(execFile);
const ffmpeg = (args: string[]) =>
  run(SYSTEM_FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { maxBuffer: 16 << 20 });

/** lavfi sources for the photos; `{s}` is the size. Hue shifts and noise make each one distinct. */
const PHOTO_SOURCES = [
  'testsrc2=s={s}',
  'smptehdbars=s={s}',
  'gradients=s={s}:c0=0x1e3c72:c1=0xf7b733:c2=0x2a5298:n=3:seed=7',
  'rgbtestsrc=s={s}',
  'life=s={s}:ratio=0.3:seed=3:mold=20:life_color=0xffcc66:death_color=0x203040:mold_color=0x804020',
  'gradients=s={s}:c0=0xcc2b5e:c1=0x753a88:c2=0x42e695:n=3:seed=11',
];

/** All photos in one ffmpeg run (each lavfi input feeds one output): process start-up is most
 * of the cost of a single small image. */
export const photosArgs = (plan: Pick<BenchPlan, 'widthPx' | 'heightPx'> & { photos: { file: string }[] }, mediaDir: string, o: { smooth?: boolean } = {}): string[] => {
  const size = `${plan.widthPx}x${plan.heightPx}`;
  // Smooth: gradients only, whose edges resample alike in every engine (tests that compare pixels).
  const sources = o.smooth ? PHOTO_SOURCES.filter((s) => s.startsWith('gradients')) : PHOTO_SOURCES;
  const inputs = plan.photos.flatMap((_, i) => [
    '-f', 'lavfi', '-i', sources[i % sources.length].replaceAll('{s}', size),
  ]);
  const outputs = plan.photos.flatMap((p, i) => [
    '-map', `${i}:v`,
    '-vf', `hue=h=${(i * 47) % 360}${o.smooth ? '' : ',noise=alls=14:allf=u'}`,
    '-frames:v', '1',
    ...(p.file.endsWith('.jpg') ? ['-q:v', '3'] : []),
    path.join(mediaDir, p.file),
  ]);
  return [...inputs, ...outputs];
};

export const clipArgs = (
  plan: Pick<BenchPlan, 'fps'>,
  clip: Pick<BenchPlan['clips'][number], 'widthPx' | 'heightPx' | 'durationSec' | 'toneHz'>,
  file: string,
  o: { smooth?: boolean } = {},
): string[] => [
  '-f', 'lavfi', '-i', o.smooth
    ? `gradients=s=${clip.widthPx}x${clip.heightPx}:r=${plan.fps}:d=${clip.durationSec}:speed=0.05:c0=0x103080:c1=0xf0c040:n=2:seed=1`
    : `testsrc2=s=${clip.widthPx}x${clip.heightPx}:r=${plan.fps}:d=${clip.durationSec}`,
  '-f', 'lavfi', '-i', `sine=f=${clip.toneHz}:r=48000:d=${clip.durationSec}`,
  '-vf', o.smooth ? 'null' : 'noise=alls=8:allf=t',
  '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-g', String(plan.fps * 2),
  '-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-shortest', file,
];

export const toneArgs = (item: BenchPlan['music'], file: string): string[] => [
  '-f', 'lavfi', '-i', `sine=f=${item.toneHz}:r=48000:d=${item.durationSec}:beep_factor=2`,
  '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k', file,
];

/** Em of a caption in pixels (draft-format.md §8). */
export const captionEmPx = (plan: Pick<BenchPlan, 'widthPx'>, caption: Pick<CaptionItem, 'size'>): number =>
  (caption.size * plan.widthPx) / 160;

/** One size for every caption image, so the floor can read them as one image sequence. */
export const captionImageSize = (plan: Pick<BenchPlan, 'widthPx' | 'captions'>): { widthPx: number; heightPx: number } => {
  const em = Math.max(...plan.captions.map((c) => captionEmPx(plan, c)));
  const even = (n: number) => 2 * Math.ceil(n / 2);
  return { widthPx: even(plan.widthPx * 0.9), heightPx: even(em * 1.6) };
};

export const captionImageName = (index: number) => `caption-${String(index).padStart(2, '0')}.png`;

/**
 * Stand-ins for rendered captions: a stroked box as wide as the text would be, on a transparent
 * image. The floor overlays these; the pixel work is what matters, not the glyphs. One ffmpeg
 * run writes them all (one transparent source, one filter per output).
 */
export const captionsArgs = (plan: Pick<BenchPlan, 'widthPx' | 'captions'>, floorDir: string): string[] => {
  const { widthPx, heightPx } = captionImageSize(plan);
  const outputs = plan.captions.flatMap((caption, i) => {
    const em = captionEmPx(plan, caption);
    const boxW = Math.min(widthPx, Math.round([...caption.text].length * em));
    const boxH = Math.round(em * 1.3);
    const x = Math.round((widthPx - boxW) / 2);
    const y = Math.round((heightPx - boxH) / 2);
    const stroke = Math.max(1, Math.round(em * caption.strokeWidth));
    const box = `x=${x}:y=${y}:w=${boxW}:h=${boxH}`;
    return [
      '-map', '0:v',
      '-vf', `drawbox=${box}:color=white@1:t=fill:replace=1,drawbox=${box}:color=black@1:t=${stroke}:replace=1`,
      '-frames:v', '1', path.join(floorDir, captionImageName(i)),
    ];
  });
  // drawbox writes alpha only with replace=1, and only on yuva formats (on rgba it keeps the
  // transparent alpha, and ffmpeg 5.1 crashes with replace=1).
  return ['-f', 'lavfi', '-i', `color=c=black@0:s=${widthPx}x${heightPx},format=yuva444p`, ...outputs];
};

/** ffmpeg runs (argument lists), two at a time: the machine has two cores and this is set-up, not the thing measured. */
export const runFfmpegJobs = async (jobs: string[][]): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await ffmpeg(jobs[next++]);
  };
  await Promise.all([worker(), worker()]);
};

/** Files the draft serves; `floorDir` gets the caption images only the floor uses. */
export const makeBenchMedia = async (plan: BenchPlan, mediaDir: string, floorDir: string): Promise<void> => {
  mkdirSync(mediaDir, { recursive: true });
  mkdirSync(floorDir, { recursive: true });
  await runFfmpegJobs([
    photosArgs(plan, mediaDir),
    ...plan.clips.map((c) => clipArgs(plan, c, path.join(mediaDir, c.file))),
    toneArgs(plan.music, path.join(mediaDir, plan.music.file)),
    toneArgs(plan.voice, path.join(mediaDir, plan.voice.file)),
    captionsArgs(plan, floorDir),
  ]);
};
