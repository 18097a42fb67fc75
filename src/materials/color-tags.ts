/**
 * How a video's colours are read. The rule both engines follow: a video's YUV is read with its
 * own tags (matrix and range); an untagged video is BT.601, limited range (full for the yuvj
 * pixel formats). That is ffmpeg's convention: ffmpeg writes untagged files so and reads them so,
 * and files from ffmpeg-based tools that leave the tags out hold exactly that. Primaries and
 * transfer are not converted (no gamut mapping), so a colour keeps its numbers.
 *
 * Without tags the engines guess differently: the compositor's ffmpeg reads BT.601, Remotion's
 * frame extractor BT.709 for HD pictures (an untagged pure red became (255, 23, 0)). So an
 * untagged video is made local as a copy tagged BT.601, remuxed by a bitstream filter, not
 * re-encoded: both engines then read tags.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { VideoColor } from '../timeline/types';
import { cacheKey } from './cache';
import { ffmpegCommand, type PictureStream } from './probe';

const MATRICES: Record<string, VideoColor['matrix']> = {
  bt709: 'bt709',
  smpte170m: 'bt601',
  bt470bg: 'bt601',
  bt2020nc: 'bt2020',
  bt2020c: 'bt2020',
  smpte240m: 'smpte240m',
  fcc: 'fcc',
};

const HDR_TRANSFERS = new Set(['smpte2084', 'arib-std-b67']);

/** The matrix and range a picture stream is read with (untagged: BT.601). */
export function videoColor(picture: PictureStream): VideoColor {
  const range = picture.colorRange === 'pc' || picture.pixelFormat?.startsWith('yuvj') ? 'pc' : 'tv';
  const color: VideoColor = { matrix: MATRICES[picture.colorSpace ?? ''] ?? 'bt601', range };
  if (picture.colorTransfer && HDR_TRANSFERS.has(picture.colorTransfer)) color.hdr = true;
  return color;
}

/** Bitstream filters that write BT.601 (matrix 6) into a codec's own headers. */
const TAG_BT601: Record<string, string> = {
  h264: 'h264_metadata=matrix_coefficients=6',
  hevc: 'hevc_metadata=matrix_coefficients=6',
  av1: 'av1_metadata=matrix_coefficients=6',
  mpeg2video: 'mpeg2_metadata=matrix_coefficients=6',
  vp9: 'vp9_metadata=color_space=bt601',
};

/** Whether a video's matrix is untagged and a tagged copy can be made. */
export const needsTaggedCopy = (picture: PictureStream | undefined): picture is PictureStream =>
  picture !== undefined && !picture.colorSpace && picture.codec in TAG_BT601 && (picture.pixelFormat ?? 'yuv').startsWith('yuv');

/**
 * A copy of an untagged video tagged BT.601 (in `cacheDir`, made once per file content), or
 * undefined when none could be made: the original is then used as it is.
 */
export async function taggedCopy(file: string, picture: PictureStream, cacheDir: string, signal?: AbortSignal): Promise<string | undefined> {
  const { size, mtimeMs } = await stat(file);
  const ext = /\.(mp4|m4v|mov)$/i.exec(file)?.[1].toLowerCase() ?? 'mkv';
  // Whole seconds: the cache marks a file as used by its access time, which may round its modification time.
  const out = path.join(cacheDir, `${cacheKey(`${path.resolve(file)}\0${size}\0${Math.floor(mtimeMs / 1000)}`)}.bt601.${ext}`);
  if (existsSync(out)) return out;
  await mkdir(cacheDir, { recursive: true });
  // `.part`: what a crash leaves is removed when the server starts again (server/jobs).
  const partial = `${out}.${randomBytes(6).toString('hex')}.part`;
  const format = ext === 'mkv' ? 'matroska' : ext === 'mov' ? 'mov' : 'mp4';
  const { bin, env } = ffmpegCommand();
  const args = ['-v', 'error', '-y', '-i', file, '-map', '0:v:0', '-map', '0:a?', '-c', 'copy', '-bsf:v', TAG_BT601[picture.codec], '-f', format, partial];
  const ok = await new Promise<boolean>((resolve) => {
    execFile(bin, args, { env, timeout: 120_000, signal }, (err) => resolve(!err));
  });
  if (!ok) {
    await rm(partial, { force: true });
    return undefined;
  }
  await rename(partial, out);
  return out;
}
