// Every frame of a small rendered MP4 decoded once, for tests that look at many frames.
import { execFileSync } from 'node:child_process';
import { FFMPEG } from '../helpers/media';
import { probe, type Frame } from '../helpers/probe';

/** All frames of `file` as RGB, by frame index (one ffmpeg run instead of one per frame). */
export const decodeFrames = (file: string): Frame[] => {
  const { width, height } = probe(file);
  const data = execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 1 << 30,
  });
  const size = width * height * 3;
  const frames: Frame[] = [];
  for (let offset = 0; offset + size <= data.length; offset += size) {
    frames.push(rgbFrame(data.subarray(offset, offset + size), width, height));
  }
  return frames;
};

function rgbFrame(data: Uint8Array, width: number, height: number): Frame {
  const at = (x: number, y: number): [number, number, number] => {
    const px = Math.min(width - 1, Math.max(0, Math.round(x)));
    const py = Math.min(height - 1, Math.max(0, Math.round(y)));
    const i = (py * width + px) * 3;
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
          const c = at(x + dx, y + dy);
          sum[0] += c[0];
          sum[1] += c[1];
          sum[2] += c[2];
          n++;
        }
      }
      return [sum[0] / n, sum[1] / n, sum[2] / n];
    },
  };
}
