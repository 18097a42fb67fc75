// Reads rendered MP4s for assertions: streams, pixels, sound.
import { execFileSync } from 'node:child_process';
import { FFMPEG, FFPROBE } from './media';

export interface Probe {
  durationSec: number;
  width: number;
  height: number;
  fps: number;
  videoCodec: string;
  pixelFormat: string;
  colorSpace?: string;
  audioCodec?: string;
  audioSampleRate?: number;
}

export const probe = (file: string): Probe => {
  const out = execFileSync(FFPROBE, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file]);
  const info = JSON.parse(out.toString());
  const video = info.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
  const audio = info.streams.find((s: { codec_type: string }) => s.codec_type === 'audio');
  const [num, den] = String(video.r_frame_rate).split('/').map(Number);
  return {
    durationSec: Number(info.format.duration),
    width: video.width,
    height: video.height,
    fps: num / (den || 1),
    videoCodec: video.codec_name,
    pixelFormat: video.pix_fmt,
    colorSpace: video.color_space,
    audioCodec: audio?.codec_name,
    audioSampleRate: audio ? Number(audio.sample_rate) : undefined,
  };
};

export interface Frame {
  width: number;
  height: number;
  /** [r, g, b] at a pixel. */
  at(x: number, y: number): [number, number, number];
  /** Mean colour of a square of side 2·r+1 around a pixel (robust to compression noise). */
  mean(x: number, y: number, r?: number): [number, number, number];
}

const decodeRgb = (args: string[], width: number, height: number): Frame => {
  const data = execFileSync(FFMPEG, ['-v', 'error', ...args, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: width * height * 3 + 1024,
  });
  const at = (x: number, y: number): [number, number, number] => {
    const i = (Math.round(y) * width + Math.round(x)) * 3;
    return [data[i], data[i + 1], data[i + 2]];
  };
  return {
    width,
    height,
    at,
    mean(x, y, r = 2) {
      const sum = [0, 0, 0];
      let n = 0;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const c = at(Math.min(width - 1, Math.max(0, x + dx)), Math.min(height - 1, Math.max(0, y + dy)));
          sum[0] += c[0];
          sum[1] += c[1];
          sum[2] += c[2];
          n++;
        }
      }
      return [sum[0] / n, sum[1] / n, sum[2] / n];
    },
  };
};

/**
 * The decoded frame shown at `timeSec`, as RGB. ffmpeg seeks to the first frame at or after the
 * time, so pass `frame / fps` exactly (a hair later picks the next frame).
 */
export const frameAt = (file: string, timeSec: number): Frame => {
  const { width, height } = probe(file);
  return decodeRgb(['-ss', Math.max(0, timeSec - 0.0005).toFixed(4), '-i', file], width, height);
};

/** A still image (PNG, JPEG) as RGB. */
export const readImage = (file: string): Frame => {
  const out = execFileSync(FFPROBE, ['-v', 'error', '-print_format', 'json', '-show_streams', file]);
  const { width, height } = JSON.parse(out.toString()).streams[0];
  return decodeRgb(['-i', file], width, height);
};

/** Max channel distance between two colours. */
export const colorDistance = (a: number[], b: number[]): number =>
  Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));

const SAMPLE_RATE = 48000;

/** Mono PCM of a window of the file's audio. */
export const audioWindow = (file: string, startSec: number, durationSec: number): Float32Array => {
  const data = execFileSync(FFMPEG, [
    '-v', 'error', '-ss', startSec.toFixed(4), '-t', durationSec.toFixed(4), '-i', file,
    '-vn', '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 'f32le', '-',
  ]);
  return new Float32Array(data.buffer, data.byteOffset, Math.floor(data.byteLength / 4));
};

export const rms = (samples: Float32Array): number => {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
};

/** Amplitude of one frequency in the window (Goertzel), ≈ the sine's peak amplitude. */
export const toneAmplitude = (samples: Float32Array, hz: number): number => {
  const k = (2 * Math.PI * hz) / SAMPLE_RATE;
  const coeff = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / Math.max(1, samples.length);
};
