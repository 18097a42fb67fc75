import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  extensionFromContentType,
  extensionFromUrl,
  imageSizeFromHeader,
  jpegExifOrientation,
  sniffExtension,
} from '../../src/materials/file-type';
import { ffprobeCommand, probeMedia } from '../../src/materials/probe';
import { gifFrameDelaysMs } from '../../src/materials/gif';

const FFMPEG = '/usr/bin/ffmpeg';
let dir: string;
const file = (name: string) => path.join(dir, name);
const ffmpeg = (...args: string[]) => execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

/** A minimal EXIF APP1 segment carrying only an orientation tag (big-endian TIFF). */
function exifSegment(orientation: number): Buffer {
  const tiff = Buffer.from([
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation, SHORT, 1
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xe1]), length, body]);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'probe-test-'));
  const red = ['-f', 'lavfi', '-i', 'color=c=red:s=64x36:d=1'];
  ffmpeg(...red, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', file('plain.mp4'));
  // A phone-style clip: landscape frames stored with a 90° display rotation.
  ffmpeg('-i', file('plain.mp4'), '-c', 'copy', '-metadata:s:v', 'rotate=90', file('rotated.mov'));
  ffmpeg('-f', 'lavfi', '-i', 'sine=f=440:d=1', '-c:a', 'libmp3lame', file('tone.mp3'));
  const blue = ['-f', 'lavfi', '-i', 'color=c=blue:s=40x30', '-frames:v', '1'];
  ffmpeg(...blue, file('pic.jpg'));
  ffmpeg(...blue, file('pic.png'));
  ffmpeg(...blue, file('pic.gif'));
  ffmpeg(...blue, file('lossy.webp'));
  ffmpeg(...blue, '-lossless', '1', file('lossless.webp'));
  const jpg = readFileSync(file('pic.jpg'));
  writeFileSync(file('turned.jpg'), Buffer.concat([jpg.subarray(0, 2), exifSegment(6), jpg.subarray(2)]));
  writeFileSync(file('garbage.mp4'), '<html>not found</html>');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('probeMedia', () => {
  it('uses the ffprobe shipped with Remotion', () => {
    const { bin, env } = ffprobeCommand();
    expect(bin).toMatch(/compositor-linux-x64-gnu[\\/]ffprobe$/);
    expect(env.LD_LIBRARY_PATH?.split(':')[0]).toBe(path.dirname(bin));
  });

  it('reads size and sound of a video', async () => {
    expect(await probeMedia(file('plain.mp4'))).toMatchObject({ widthPx: 64, heightPx: 36, hasVideo: true, hasAudio: false });
  });

  it('reports the displayed size of a rotated video', async () => {
    expect(await probeMedia(file('rotated.mov'))).toMatchObject({ widthPx: 36, heightPx: 64 });
  });

  it('reads audio', async () => {
    const probe = await probeMedia(file('tone.mp3'));
    expect(probe).toMatchObject({ hasVideo: false, hasAudio: true });
    expect(probe?.durationSec).toBeGreaterThan(0.9);
  });

  it.each(['pic.jpg', 'pic.png', 'pic.gif', 'lossy.webp', 'lossless.webp'])('reads the size of %s', async (name) => {
    expect(await probeMedia(file(name))).toMatchObject({ widthPx: 40, heightPx: 30, hasAudio: false });
  });

  it('turns a JPEG by its EXIF orientation', async () => {
    expect(await probeMedia(file('turned.jpg'))).toMatchObject({ widthPx: 30, heightPx: 40 });
  });

  it('gives up on a file that is not media', async () => {
    expect(await probeMedia(file('garbage.mp4'))).toBeUndefined();
  });
});

describe('file types', () => {
  it('sniffs extensions from the first bytes', () => {
    const head = (name: string) => readFileSync(file(name)).subarray(0, 32);
    expect(sniffExtension(head('plain.mp4'))).toBe('mp4');
    expect(sniffExtension(head('rotated.mov'))).toBe('mov');
    expect(sniffExtension(head('tone.mp3'))).toBe('mp3');
    expect(sniffExtension(head('pic.jpg'))).toBe('jpg');
    expect(sniffExtension(head('pic.png'))).toBe('png');
    expect(sniffExtension(head('pic.gif'))).toBe('gif');
    expect(sniffExtension(head('lossy.webp'))).toBe('webp');
    expect(sniffExtension(head('garbage.mp4'))).toBeUndefined();
  });

  it('reads image sizes from headers', () => {
    for (const name of ['pic.jpg', 'pic.png', 'pic.gif', 'lossy.webp', 'lossless.webp', 'turned.jpg']) {
      expect(imageSizeFromHeader(readFileSync(file(name))), name).toEqual({ widthPx: 40, heightPx: 30 });
    }
    // Extended WebP (VP8X): 24-bit canvas size minus one.
    const vp8x = Buffer.alloc(30);
    vp8x.write('RIFF', 0, 'latin1');
    vp8x.write('WEBPVP8X', 8, 'latin1');
    vp8x.writeUIntLE(1919, 24, 3);
    vp8x.writeUIntLE(1079, 27, 3);
    expect(imageSizeFromHeader(vp8x)).toEqual({ widthPx: 1920, heightPx: 1080 });
  });

  it('reads the EXIF orientation of a JPEG', () => {
    expect(jpegExifOrientation(readFileSync(file('turned.jpg')))).toBe(6);
    expect(jpegExifOrientation(readFileSync(file('pic.jpg')))).toBeUndefined();
  });

  it('takes extensions from URLs and content types', () => {
    expect(extensionFromUrl('https://cdn.example.com/a/b/Clip.MP4?sig=1')).toBe('mp4');
    expect(extensionFromUrl('https://cdn.example.com/a/photo.jpeg')).toBe('jpg');
    expect(extensionFromUrl('https://picsum.photos/800/600')).toBeUndefined();
    expect(extensionFromUrl('https://example.com/draft.php')).toBeUndefined();
    expect(extensionFromUrl('C:\\Users\\me\\music.wav')).toBe('wav');
    expect(extensionFromContentType('image/jpeg; charset=binary')).toBe('jpg');
    expect(extensionFromContentType('text/html')).toBeUndefined();
  });
});

describe('GIF frame delays', () => {
  it('reads one delay per image, as the GIF player reads them (0 → 100 ms)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gen-video-gif-'));
    try {
      const file = path.join(dir, 'a.gif');
      // 4 images at 20 fps: 5 cs each.
      execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=16x16:r=20:d=0.2', '-loop', '0', file]);
      expect(gifFrameDelaysMs(readFileSync(file))).toEqual([50, 50, 50, 50]);
      // The same bytes with every delay set to 0.
      const bytes = readFileSync(file);
      for (let i = 0; i + 5 < bytes.length; i++) if (bytes[i] === 0x21 && bytes[i + 1] === 0xf9 && bytes[i + 2] === 4) bytes[i + 4] = bytes[i + 5] = 0;
      expect(gifFrameDelaysMs(bytes)).toEqual([100, 100, 100, 100]);
      expect(gifFrameDelaysMs(Buffer.from('not a gif'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
