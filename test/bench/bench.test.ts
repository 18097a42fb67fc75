// The benchmark is not a unit test, but a tiny run of it (a few seconds at a small canvas) keeps
// it from rotting: the CLI, the draft it builds, the floor's filter graph and the JSON it writes.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floorArgs } from '../../bench/floor';
import { benchDraft } from '../../bench/drafts';
import { REFERENCE_CANVAS, referencePlan } from '../../bench/plan';
import { DEFAULT_ENCODE } from '../../src/render/settings';
import { tempDir } from '../helpers/media';
import { probe } from '../helpers/probe';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

describe('npm run bench -- --tiny', () => {
  const tmp = tempDir('gen-video-bench-test-');
  const jsonPath = path.join(tmp.dir, 'bench.json');
  let json: Record<string, unknown>;
  let stdout: string;

  beforeAll(async () => {
    // A child process, as `npm run bench` runs it: its memory sampling sees its own process tree.
    const out = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--tiny', '--json', jsonPath, '--keep', tmp.dir],
      { cwd: ROOT, timeout: 110_000, maxBuffer: 4 << 20 },
    );
    stdout = out.stdout;
    json = JSON.parse(readFileSync(jsonPath, 'utf8'));
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('writes the comparable fields as sane numbers', () => {
    for (const key of ['wall_s', 'fps', 'realtime_x', 'peak_rss_mb', 'floor_wall_s', 'ratio_to_floor']) {
      expect(typeof json[key], key).toBe('number');
      expect(json[key] as number, key).toBeGreaterThan(0);
      expect(Number.isFinite(json[key] as number), key).toBe(true);
    }
    expect(json.frames).toBe(180);
    expect(json.fps as number).toBeCloseTo((json.frames as number) / (json.wall_s as number), 1);
    expect(json.ratio_to_floor as number).toBeCloseTo((json.wall_s as number) / (json.floor_wall_s as number), 1);
    // The tree (node + Chromium + ffmpeg) holds more than node alone.
    expect(json.peak_rss_mb as number).toBeGreaterThan(json.peak_rss_node_mb as number);
    expect(Object.keys(json.stages_s as object)).toEqual(expect.arrayContaining(['parse', 'download', 'render', 'store']));
  });

  it('prints the figures and the machine', () => {
    for (const label of ['wall time', 'frames/s', '× real time', 'peak memory', 'stages', 'machine:', 'ours / floor']) {
      expect(stdout).toContain(label);
    }
  });

  it('stores an MP4 of the cut, and the floor makes the same size and length', () => {
    const ours = probe(path.join(tmp.dir, 'ours.mp4'));
    const floor = probe(path.join(tmp.dir, 'floor.mp4'));
    for (const p of [ours, floor]) {
      expect(p).toMatchObject({ width: 216, height: 384, fps: 30, videoCodec: 'h264', pixelFormat: 'yuv420p', audioCodec: 'aac' });
      expect(p.durationSec).toBeGreaterThan(5.9);
      expect(p.durationSec).toBeLessThan(6.15);
    }
  });
});

describe('the floor of the whole reference video', () => {
  // The tiny run stops at 6 s; the full graph's shape is checked here without running it.
  const graph = (() => {
    const args = floorArgs(referencePlan(), {
      mediaDir: '/m',
      floorDir: '/f',
      cutSec: 60,
      encode: DEFAULT_ENCODE,
      outPath: '/o.mp4',
    });
    return { args, filter: args[args.indexOf('-filter_complex') + 1] };
  })();

  it('animates 12 photos, cross-fades 11 times, overlays 2 clips and the captions, mixes 4 sounds', () => {
    expect(graph.filter.match(/zoompan=/g)).toHaveLength(12);
    expect(graph.filter.match(/xfade=/g)).toHaveLength(11);
    expect(graph.filter.match(/overlay=/g)).toHaveLength(3);
    expect(graph.filter).toContain('amix=inputs=4');
    // The last cross-fade starts 7 frames before the cut at 55 s, as the renderer places it.
    expect(graph.filter).toContain(`offset=${Number(((55 * 30 - 7) / 30).toFixed(6))}`);
  });

  it('encodes like DEFAULT_ENCODE, for 60 s', () => {
    const { args } = graph;
    expect(args[args.indexOf('-preset') + 1]).toBe(DEFAULT_ENCODE.x264Preset);
    expect(args[args.indexOf('-crf') + 1]).toBe(String(DEFAULT_ENCODE.crf));
    expect(args[args.indexOf('-t') + 1]).toBe('60');
  });
});

describe('npm run bench -- --draft effects --tiny', () => {
  const tmp = tempDir('gen-video-bench-effects-test-');
  const jsonPath = path.join(tmp.dir, 'bench.json');
  let json: Record<string, unknown>;

  beforeAll(async () => {
    await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--draft', 'effects', '--tiny', '--json', jsonPath, '--keep', tmp.dir], {
      cwd: ROOT,
      timeout: 110_000,
      maxBuffer: 4 << 20,
    });
    json = JSON.parse(readFileSync(jsonPath, 'utf8'));
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('draws it with the compositor, says what the browser drew, and times the floor on the same media', () => {
    expect(json).toMatchObject({ draft: 'effects', engine: 'compositor', frames: 180 });
    const why = (json.browser_drawn as { why: string }[]).map((d) => d.why);
    // The first 6 s: the 模糊 at 10 s and the rest lie beyond the cut; the masked clip is in.
    expect(why).toEqual(expect.arrayContaining([expect.stringMatching(/^a mask/), 'text']));
    expect(json.ratio_to_floor as number).toBeGreaterThan(0);
    for (const file of ['ours.mp4', 'floor.mp4']) {
      expect(probe(path.join(tmp.dir, file))).toMatchObject({ width: 216, height: 384, fps: 30, videoCodec: 'h264', audioCodec: 'aac' });
    }
  });
});

describe('the floor of the whole effects video', () => {
  const args = benchDraft('effects', REFERENCE_CANVAS).floorArgs({ mediaDir: '/m', floorDir: '/f', cutSec: 30, encode: DEFAULT_ENCODE, outPath: '/o.mp4' });
  const filter = args[args.indexOf('-filter_complex') + 1];

  it("uses ffmpeg's nearest filters for each effect", () => {
    expect(filter.match(/zoompan=/g)).toHaveLength(5);
    expect(filter).toContain('xfade=transition=hblur');
    expect(filter).toContain('xfade=transition=wipeleft');
    expect(filter.match(/xfade=transition=fade/g)).toHaveLength(3);
    expect(filter).toContain('gblur=sigma=');
    expect(filter).toContain('alphamerge');
    expect(args).toContain('-ignore_loop');
    expect(filter).toContain('amix=inputs=4');
  });
});
