// A video drawn in frame ranges, each on its own (as a farm's workers draw them: a fresh work
// folder, stills drawn again, Remotion's renderMedia with a frameRange), then joined with the one
// sound mix, is the video one machine draws in a row — frame for frame and in sound, both engines.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble } from '../../src/render/assemble';
import { withBrowserSession } from '../../src/render/browser';
import { makeWorkDir } from '../../src/render/compositor';
import { planRender } from '../../src/render/plan-render';
import { prepareTimeline } from '../../src/render/prepare';
import { mixSoundOf, renderRange, renderTimeline } from '../../src/render/render-timeline';
import { renderSettings } from '../../src/render/settings';
import { DraftBuilder } from '../helpers/draft-builder';
import { serveDir } from '../helpers/http-server';
import { fingerprint, makePatternImage, makeTone, tempDir } from '../helpers/media';


describe.each(['compositor', 'remotion'] as const)('ranges drawn apart and joined (%s)', (engine) => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('equal the video drawn in a row, frame for frame and in sound', async () => {
    makePatternImage(path.join(tmp.dir, 'p.png'), 64, 36);
    makeTone(path.join(tmp.dir, 't.m4a'), 440, 3);
    const server = await serveDir(tmp.dir);
    try {
      const d = new DraftBuilder({ width: 64, height: 36, fps: 10 });
      const photo = d.video(server.url('p.png'), { width: 64, height: 36, durationUs: 0, photo: true });
      d.track('video', [
        {
          materialId: photo,
          startUs: 0,
          durationUs: 3e6,
          keyframes: [{ property_type: 'KFTypeScaleX', keyframe_list: [{ time_offset: 0, values: [1] }, { time_offset: 3e6, values: [1.6] }] }],
        },
      ]);
      d.track('text', [{ materialId: d.text('分段', { size: 20 }), startUs: 5e5, durationUs: 2e6 }]);
      d.track('audio', [{ materialId: d.audio(server.url('t.m4a'), 3e6), startUs: 0, durationUs: 3e6, volume: 0.5 }]);
      writeFileSync(path.join(tmp.dir, 'd.json'), JSON.stringify(d.toJSON()));
      const settings = renderSettings({ dataDir: path.join(tmp.dir, 'data'), allowPrivateNetwork: true, engine, chunkSeconds: 1 });
      const timeline = await prepareTimeline({ source: server.url('d.json') }, settings);

      const inARow = path.join(tmp.dir, 'row.mp4');
      expect(await renderTimeline(timeline, { outPath: inARow, settings })).toMatchObject({ engine });

      // As a farm: each range in a work folder of its own (nothing shared), the sound once, the join.
      const plan = planRender(timeline, settings);
      expect(plan.chunks).toEqual([[0, 10], [10, 20], [20, 30]]);
      const parts: string[] = [];
      for (const [i, range] of plan.chunks.entries()) {
        const part = path.join(tmp.dir, `part-${i}.mp4`);
        // A browser of its own per range, as each worker's render process has.
        await withBrowserSession(undefined, (browser) =>
          renderRange(timeline, plan, range, part, { settings, browser, workDir: makeWorkDir(settings.workDir, `range-${i}-`), withSound: false }),
        );
        parts.push(part);
      }
      const sound = path.join(tmp.dir, 'sound.m4a');
      await mixSoundOf(plan, sound, { settings, workDir: makeWorkDir(settings.workDir, 'sound-') });
      const joined = path.join(tmp.dir, 'joined.mp4');
      mkdirSync(path.dirname(joined), { recursive: true });
      await assemble(parts, sound, joined, { ffmpeg: settings.ffmpegPath!, workDir: makeWorkDir(settings.workDir, 'join-') });

      const a = fingerprint(inARow);
      const b = fingerprint(joined);
      expect(b.frames).toHaveLength(30);
      expect(b.frames).toEqual(a.frames);
      expect(b.sound).toBe(a.sound);
    } finally {
      await server.close();
    }
  }, 180_000);
});
