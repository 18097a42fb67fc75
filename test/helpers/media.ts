// Synthetic media for tests, made with Debian's ffmpeg (the bundled one has no lavfi sources).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const FFMPEG = process.env.TEST_FFMPEG ?? '/usr/bin/ffmpeg';
export const FFPROBE = process.env.TEST_FFPROBE ?? '/usr/bin/ffprobe';

const ffmpeg = (args: string[]) => execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

export const tempDir = (prefix = 'gen-video-test-'): { dir: string; cleanup: () => void } => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};

export interface ClipOptions {
  color: string;
  width: number;
  height: number;
  durationSec: number;
  fps?: number;
  /** Adds a sine tone of this frequency (Hz) as the clip's sound. */
  toneHz?: number;
}

/** A solid-colour H.264 clip (with a sine tone when asked). */
export const makeColorClip = (file: string, o: ClipOptions): string => {
  const fps = o.fps ?? 30;
  const args = ['-f', 'lavfi', '-i', `color=c=${o.color}:s=${o.width}x${o.height}:r=${fps}:d=${o.durationSec}`];
  if (o.toneHz) args.push('-f', 'lavfi', '-i', `sine=f=${o.toneHz}:r=48000:d=${o.durationSec}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(fps));
  if (o.toneHz) args.push('-c:a', 'aac', '-b:a', '128k', '-shortest');
  ffmpeg([...args, file]);
  return file;
};

/**
 * A clip whose colour changes every second through `colors`, so a frame tells which source
 * second it shows (source trim and speed tests).
 */
export const makeSteppedClip = (file: string, colors: string[], width: number, height: number, fps = 30): string => {
  const inputs = colors.flatMap((c) => ['-f', 'lavfi', '-i', `color=c=${c}:s=${width}x${height}:r=${fps}:d=1`]);
  const filter = `${colors.map((_, i) => `[${i}:v]`).join('')}concat=n=${colors.length}:v=1:a=0[v]`;
  ffmpeg([...inputs, '-filter_complex', filter, '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast',
    '-pix_fmt', 'yuv420p', '-g', String(fps), file]);
  return file;
};

export const makeImage = (file: string, color: string, width: number, height: number): string => {
  ffmpeg(['-f', 'lavfi', '-i', `color=c=${color}:s=${width}x${height}`, '-frames:v', '1', file]);
  return file;
};

/** A sine tone (m4a/mp3/wav by extension). */
export const makeTone = (file: string, hz: number, durationSec: number): string => {
  ffmpeg(['-f', 'lavfi', '-i', `sine=f=${hz}:r=48000:d=${durationSec}`, '-ac', '2', file]);
  return file;
};

/** A detailed picture (ffmpeg's testsrc2 pattern): scaling or moving it shows in every pixel. */
export const makePatternImage = (file: string, width: number, height: number): string => {
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=1`, '-frames:v', '1', file]);
  return file;
};

/** A moving pattern clip with a frame counter drawn in: a frame tells the source time it shows. */
export const makePatternClip = (file: string, width: number, height: number, durationSec: number, fps = 30): string => {
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=${fps}:d=${durationSec}`, '-c:v', 'libx264',
    '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(fps), file]);
  return file;
};

/**
 * A clip whose frame N shows its own index: red = 16 × (N mod 16), green = 16 × ⌊N / 16⌋ (up to
 * 256 frames), losslessly encoded; `toneHz` gives source second k the tone toneHz[k]. Read a
 * frame back with `sourceFrameShown`.
 */
export const makeIndexedClip = (file: string, o: { width: number; height: number; durationSec: number; fps?: number; toneHz?: number[] }): string => {
  const fps = o.fps ?? 30;
  const args = ['-f', 'lavfi', '-i', `nullsrc=s=${o.width}x${o.height}:r=${fps}:d=${o.durationSec},format=gbrp,` +
    `geq=r='16*mod(N,16)':g='16*floor(N/16)':b=0`];
  const tones = o.toneHz ?? [];
  tones.forEach((hz) => args.push('-f', 'lavfi', '-i', `sine=f=${hz}:r=48000:d=1`));
  if (tones.length > 0) {
    args.push('-filter_complex', `${tones.map((_, i) => `[${i + 1}:a]`).join('')}concat=n=${tones.length}:v=0:a=1[a]`, '-map', '0:v', '-map', '[a]');
  }
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p', '-g', String(fps));
  if (tones.length > 0) args.push('-c:a', 'aac', '-b:a', '192k');
  ffmpeg([...args, file]);
  return file;
};

/** The source frame index an indexed clip (makeIndexedClip) shows in a colour. */
export const sourceFrameShown = (rgb: readonly number[]): number => Math.round(rgb[0] / 16) + 16 * Math.round(rgb[1] / 16);

export type ColorTags = 'untagged' | 'bt709' | 'bt601';

/**
 * A losslessly encoded solid-colour clip whose YUV uses the matrix its tags name (untagged:
 * BT.601, as ffmpeg writes untagged files), converted exactly from RGB.
 */
export const makeTaggedClip = (file: string, o: { color: string; width: number; height: number; durationSec: number; tags: ColorTags }): string => {
  const matrix = o.tags === 'bt709' ? 'bt709' : 'bt601';
  const tags = o.tags === 'untagged' ? [] : ['-colorspace', o.tags === 'bt709' ? 'bt709' : 'smpte170m', '-color_range', 'tv'];
  ffmpeg(['-f', 'lavfi', '-i', `color=c=${o.color}:s=${o.width}x${o.height}:r=30:d=${o.durationSec},format=rgb24`,
    '-vf', `scale=out_color_matrix=${matrix}:out_range=tv:flags=accurate_rnd+full_chroma_int,format=yuv420p`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', ...tags, file]);
  return file;
};

/** A still picture of one colour, from RGB (PNG exact; JPEG at its best quality). */
export const makeRgbImage = (file: string, color: string, width: number, height: number): string => {
  ffmpeg(['-f', 'lavfi', '-i', `color=c=${color}:s=${width}x${height},format=rgb24`, '-frames:v', '1', '-q:v', '1', file]);
  return file;
};

/** MD5 of every decoded frame, and of the decoded sound: two videos equal frame for frame and in sound compare equal. */
export const fingerprint = (file: string) => ({
  frames: execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-map', '0:v', '-f', 'framemd5', '-'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').pop()!.trim()),
  sound: execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-map', '0:a', '-f', 'md5', '-'], { encoding: 'utf8' }).trim(),
});
