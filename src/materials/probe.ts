/**
 * What a local material file holds: picture size (as displayed) and whether it has sound.
 * Uses the ffprobe shipped with Remotion's compositor, so the server needs no system ffmpeg.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { imageSizeFromHeader, jpegExifOrientation, type PixelSize } from './file-type';

export interface MediaProbe {
  /** Displayed size (rotation metadata applied); undefined when the file has no picture. */
  widthPx?: number;
  heightPx?: number;
  hasVideo: boolean;
  hasAudio: boolean;
  durationSec?: number;
  /** The picture stream's codec and colour tags, as ffprobe names them (absent: untagged). */
  picture?: PictureStream;
}

export interface PictureStream {
  codec: string;
  pixelFormat?: string;
  /** YUV matrix: bt709, smpte170m, bt470bg, bt2020nc… */
  colorSpace?: string;
  /** tv (limited) or pc (full). */
  colorRange?: string;
  /** Transfer: bt709, smpte2084 (PQ), arib-std-b67 (HLG)… */
  colorTransfer?: string;
}

export interface ProbeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_PROBE_TIMEOUT_MS = 30_000;
/** Enough for a JPEG frame header behind a large EXIF block (thumbnails included). */
const HEADER_BYTES = 512 * 1024;

interface FfprobeCommand {
  bin: string;
  env: NodeJS.ProcessEnv;
}

let command: FfprobeCommand | undefined;

/** Remotion's bundled ffprobe (its shared libraries sit beside it), else `ffprobe` from PATH. */
export function ffprobeCommand(): FfprobeCommand {
  if (command) return command;
  try {
    const pkg = createRequire(import.meta.url).resolve('@remotion/compositor-linux-x64-gnu/package.json');
    const dir = path.dirname(pkg);
    const bin = path.join(dir, 'ffprobe');
    if (existsSync(bin)) {
      const libraryPath = [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
      command = { bin, env: { ...process.env, LD_LIBRARY_PATH: libraryPath } };
      return command;
    }
  } catch {
    // not installed on this platform
  }
  command = { bin: 'ffprobe', env: process.env };
  return command;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  color_space?: string;
  color_range?: string;
  color_transfer?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
}

let ffmpeg: FfprobeCommand | undefined;

/** Remotion's bundled ffmpeg beside its ffprobe (it has the bitstream filters tagging needs), else `ffmpeg` from PATH. */
export function ffmpegCommand(): FfprobeCommand {
  if (ffmpeg) return ffmpeg;
  const probe = ffprobeCommand();
  const bin = path.join(path.dirname(probe.bin), 'ffmpeg');
  ffmpeg = probe.bin !== 'ffprobe' && existsSync(bin) ? { bin, env: probe.env } : { bin: 'ffmpeg', env: process.env };
  return ffmpeg;
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { duration?: string; format_name?: string };
}

/** Undefined when neither ffprobe nor the image header make sense of the file. */
export async function probeMedia(file: string, opts: ProbeOptions = {}): Promise<MediaProbe | undefined> {
  const [info, head] = await Promise.all([runFfprobe(file, opts), readHead(file)]);
  const headerSize = imageSizeFromHeader(head);

  if (!info || !info.streams?.length) {
    // Still images ffprobe could not open are fine when their header is sound.
    return headerSize ? { ...orient(headerSize, head), hasVideo: true, hasAudio: false } : undefined;
  }
  const picture = info.streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const hasAudio = info.streams.some((s) => s.codec_type === 'audio');
  const duration = Number(info.format?.duration);
  const durationSec = Number.isFinite(duration) && duration > 0 ? duration : undefined;
  if (!picture) return { hasVideo: false, hasAudio, durationSec };

  let size: PixelSize | undefined =
    picture.width && picture.height ? { widthPx: picture.width, heightPx: picture.height } : headerSize;
  if (size && quarterTurns(picture) % 2 === 1) size = { widthPx: size.heightPx, heightPx: size.widthPx };
  if (size && picture.codec_name === 'mjpeg') size = orient(size, head);
  return { ...size, hasVideo: true, hasAudio, durationSec, picture: pictureStream(picture) };
}

/** ffprobe writes `unknown` for an untagged property: kept as absent. */
function pictureStream(stream: FfprobeStream): PictureStream {
  const tag = (v: string | undefined) => (v && v !== 'unknown' && v !== 'unspecified' ? v : undefined);
  const out: PictureStream = { codec: stream.codec_name ?? '' };
  if (stream.pix_fmt) out.pixelFormat = stream.pix_fmt;
  const colorSpace = tag(stream.color_space);
  const colorRange = tag(stream.color_range);
  const colorTransfer = tag(stream.color_transfer);
  if (colorSpace) out.colorSpace = colorSpace;
  if (colorRange) out.colorRange = colorRange;
  if (colorTransfer) out.colorTransfer = colorTransfer;
  return out;
}

function runFfprobe(file: string, opts: ProbeOptions): Promise<FfprobeOutput | undefined> {
  const { bin, env } = ffprobeCommand();
  const args = ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file];
  return new Promise((resolve) => {
    execFile(
      bin,
      args,
      { env, timeout: opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, signal: opts.signal },
      (err, stdout) => {
        if (err) return resolve(undefined);
        try {
          resolve(JSON.parse(stdout) as FfprobeOutput);
        } catch {
          resolve(undefined);
        }
      },
    );
  });
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Phone videos store landscape frames plus a rotation; players show them turned. */
function quarterTurns(stream: FfprobeStream): number {
  const matrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number');
  const degrees = matrix?.rotation ?? Number(stream.tags?.rotate ?? 0);
  return Number.isFinite(degrees) ? Math.round(Math.abs(degrees) / 90) % 4 : 0;
}

function orient(size: PixelSize, head: Buffer): PixelSize {
  const orientation = jpegExifOrientation(head);
  return orientation !== undefined && orientation >= 5 ? { widthPx: size.heightPx, heightPx: size.widthPx } : size;
}
