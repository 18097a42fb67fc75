// A real public draft (pyJianYingDraft's demo output) through the shell entry point, with
// stand-in media for its missing Windows files.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FFMPEG, makeColorClip, makeTone, tempDir } from '../helpers/media';
import { audioWindow, colorDistance, frameAt, probe, toneAmplitude } from '../helpers/probe';
import { execFileSync } from 'node:child_process';

const run = promisify(execFile);
const FIXTURE = path.resolve(
  __dirname,
  '../../../shared/fixtures/public-drafts/zhangtuo723__pyjianji__pyjianyingdraft-demo-output.json',
);
const cli = (args: string[]) =>
  run('npx', ['tsx', 'src/cli/render.ts', ...args], { cwd: path.resolve(__dirname, '../..'), timeout: 300_000 });

describe('npm run render on a public draft', () => {
  const tmp = tempDir();
  const media = path.join(tmp.dir, 'media');
  const out = path.join(tmp.dir, 'demo.mp4');
  let stdout = '';

  beforeAll(async () => {
    execFileSync('mkdir', ['-p', media]);
    // The draft's own names: video.mp4 (2046×1080 in the draft), sticker.gif, audio.mp3.
    makeColorClip(path.join(media, 'video.mp4'), { color: '#2040c0', width: 512, height: 270, durationSec: 5, toneHz: 660 });
    execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=#ff8000:s=312x259:r=10:d=1', path.join(media, 'sticker.gif')]);
    makeTone(path.join(media, 'audio.mp3'), 440, 6);
    ({ stdout } = await cli([FIXTURE, '-o', out, '--media', media, '--data-dir', path.join(tmp.dir, 'data')]));
  });
  afterAll(() => tmp.cleanup());

  it('writes an MP4 of the draft canvas and length, and prints a summary with warnings', () => {
    const p = probe(out);
    expect(p.width).toBe(1080);
    expect(p.height).toBe(1080);
    expect(p.fps).toBe(30);
    expect(p.durationSec).toBeGreaterThan(5.0);
    expect(p.durationSec).toBeLessThan(5.3);
    expect(stdout).toContain('1080x1080 @ 30 fps');
    expect(stdout).toMatch(/warning\(s\)/);
    expect(stdout).toContain('transition-approximated');
  });

  it('shows the video letterboxed in the middle and the yellow caption near the bottom', () => {
    const f = frameAt(out, 2);
    // 2046×1080 fits 1080 wide as 1080×570: rows 255..825 are the clip, above and below black.
    expect(colorDistance(f.mean(540, 540, 4), [0x20, 0x40, 0xc0])).toBeLessThan(30);
    expect(colorDistance(f.mean(540, 100, 4), [0, 0, 0])).toBeLessThan(20);
    let yellow = 0;
    for (let y = 930; y < 1010; y += 2) {
      for (let x = 100; x < 980; x += 2) {
        const [r, g, b] = f.at(x, y);
        if (r > 200 && g > 200 && b < 80) yellow++;
      }
    }
    expect(yellow).toBeGreaterThan(50);
  });

  it('mixes the background music (volume 0.6, 1 s fade-in) with the video sound', () => {
    const music = toneAmplitude(audioWindow(out, 2.5, 0.5), 440) / 0.125;
    const early = toneAmplitude(audioWindow(out, 0.1, 0.2), 440) / 0.125;
    expect(music).toBeGreaterThan(0.45);
    expect(music).toBeLessThan(0.75);
    expect(early).toBeLessThan(music / 2);
    expect(toneAmplitude(audioWindow(out, 2.5, 0.5), 660)).toBeGreaterThan(0.05);
  });

  it('fails with a one-line reason and a non-zero exit when the draft is missing', async () => {
    const missing = path.join(tmp.dir, 'nope.json');
    const err = await cli([missing, '-o', path.join(tmp.dir, 'x.mp4')]).catch((e) => e);
    expect(err.code).not.toBe(0);
    expect(err.stderr.trim().split('\n').pop()).toMatch(/^render failed: 草稿不存在/);
    expect(existsSync(path.join(tmp.dir, 'x.mp4'))).toBe(false);
  });
});
