// npm run sheet: a grid of frames at even times, each cell the real composition at that frame.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHEET_GAP_PX, SHEET_LABEL_HEIGHT_PX } from '../../src/composition/ContactSheet';
import { evenFrames } from '../../src/render/render-sheet';
import { DraftBuilder } from '../helpers/draft-builder';
import { serveDir, type TestServer } from '../helpers/http-server';
import { makeColorClip, tempDir } from '../helpers/media';
import { colorDistance, readImage } from '../helpers/probe';

const run = promisify(execFile);

describe('evenFrames', () => {
  it('spreads frames from the first to the last', () => {
    expect(evenFrames(90, 3)).toEqual([0, 45, 89]);
    expect(evenFrames(90, 1)).toEqual([0]);
    expect(evenFrames(1, 5)).toEqual([0]);
  });
});

describe('npm run sheet', () => {
  const tmp = tempDir();
  let server: TestServer;
  const sheet = path.join(tmp.dir, 'sheet.png');
  let stdout = '';

  beforeAll(async () => {
    for (const c of ['red', 'lime', 'blue']) makeColorClip(path.join(tmp.dir, `${c}.mp4`), { color: c, width: 64, height: 36, durationSec: 1 });
    server = await serveDir(tmp.dir);
    const d = new DraftBuilder({ width: 160, height: 90, fps: 30 });
    d.track(
      'video',
      ['red', 'lime', 'blue'].map((c, i) => ({
        materialId: d.video(server.url(`${c}.mp4`), { width: 64, height: 36, durationUs: 1_000_000 }),
        startUs: i * 1_000_000,
        durationUs: 1_000_000,
      })),
    );
    writeFileSync(path.join(tmp.dir, 'draft.json'), JSON.stringify(d.toJSON()));
    ({ stdout } = await run(
      'npx',
      ['tsx', 'src/cli/sheet.ts', server.url('draft.json'), '-o', sheet, '--count', '3', '--columns', '3', '--thumb-width', '160',
        '--allow-private-network', '--data-dir', path.join(tmp.dir, 'data')],
      { cwd: path.resolve(__dirname, '../..'), timeout: 240_000 },
    ));
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('draws one cell per frame, in order, with the colour shown at that time', () => {
    expect(stdout).toContain('3 frames of 160x90 @ 30 fps');
    const img = readImage(sheet);
    expect(img.width).toBe(3 * 160 + 4 * SHEET_GAP_PX);
    expect(img.height).toBe(90 + SHEET_LABEL_HEIGHT_PX + 2 * SHEET_GAP_PX);
    // Frames 0, 45, 89: red, lime, blue.
    const centre = (cell: number) => img.mean(SHEET_GAP_PX + cell * (160 + SHEET_GAP_PX) + 80, SHEET_GAP_PX + 45, 3);
    expect(colorDistance(centre(0), [255, 0, 0])).toBeLessThan(30);
    expect(colorDistance(centre(1), [0, 255, 0])).toBeLessThan(30);
    expect(colorDistance(centre(2), [0, 0, 255])).toBeLessThan(30);
  });
});
