// Every public JianYing draft goes through the whole pipeline (load, timeline, materials, the
// composition) with stand-in media; a contact sheet of a few frames keeps this quick.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDraft } from '../../src/draft/load';
import { fetchMaterials } from '../../src/materials';
import { renderSheet } from '../../src/render/render-sheet';
import { renderSettings } from '../../src/render/settings';
import { SHEET_GAP_PX } from '../../src/composition/ContactSheet';
import { compileTimeline } from '../../src/timeline/compile';
import { countWarnings } from '../../src/timeline/warnings';
import { readImage } from '../helpers/probe';
import { makeStandIns } from '../helpers/stand-ins';
import { tempDir } from '../helpers/media';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/public-drafts');
/** Not JianYing drafts, or drafts with nothing to draw: covered by the timeline tests. */
const NOT_RENDERABLE = [/Coze2JianYing/, /capcut-mate__template/];

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && !NOT_RENDERABLE.some((r) => r.test(f)));

describe('public fixtures render with stand-in media', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it.each(fixtures)('%s', async (file) => {
    const dir = path.join(tmp.dir, file);
    const loaded = await loadDraft(path.join(FIXTURES, file), { allowLocalFiles: true });
    const compiled = compileTimeline(loaded.draft, loaded.context);
    mkdirSync(dir, { recursive: true });
    const timeline = await fetchMaterials(compiled, {
      cacheDir: path.join(dir, 'cache'),
      overrides: makeStandIns(compiled, dir),
    });
    const out = path.join(dir, 'sheet.png');
    const { frames } = await renderSheet(timeline, { outPath: out, count: 4, columns: 4, thumbWidthPx: 160 }, renderSettings({ dataDir: dir }));
    console.log(`${file}: ${timeline.widthPx}x${timeline.heightPx}, ${timeline.durationFrames} frames, warnings`, countWarnings(timeline.warnings));

    expect(frames).toHaveLength(4);
    const img = readImage(out);
    expect(img.width).toBeGreaterThan(4 * 160);
    // Something was drawn in every cell: not all of its pixels are black.
    const thumbHeight = Math.round((160 * timeline.heightPx) / timeline.widthPx);
    for (let cell = 0; cell < 4; cell++) {
      let lit = 0;
      const x0 = SHEET_GAP_PX + cell * (160 + SHEET_GAP_PX);
      for (let y = SHEET_GAP_PX; y < SHEET_GAP_PX + thumbHeight; y += 4) {
        for (let x = x0; x < x0 + 160; x += 4) if (Math.max(...img.at(x, y)) > 40) lit++;
      }
      expect(lit, `cell ${cell}`).toBeGreaterThan(20);
    }
  });
});
