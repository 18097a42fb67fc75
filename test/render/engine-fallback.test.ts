// `auto` must still deliver a video when the compositor fails; a forced compositor must say so.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/render/browser';
import { renderDraft } from '../../src/render/render-draft';
import { renderSettings } from '../../src/render/settings';
import { serveDir } from '../helpers/http-server';
import { DraftBuilder } from '../helpers/draft-builder';
import { makeColorClip, tempDir } from '../helpers/media';
import { probe } from '../helpers/probe';
import { renderServedDraft } from './render-helpers';

describe('engine fallback', () => {
  const tmp = tempDir();
  const draft = (url: (file: string) => string) => {
    const d = new DraftBuilder({ width: 64, height: 36, fps: 30 });
    const clip = d.video(url('red.mp4'), { width: 64, height: 36, durationUs: 1_000_000 });
    d.track('video', [{ materialId: clip, startUs: 0, durationUs: 500_000 }]);
    return d.toJSON();
  };

  beforeAll(() => {
    makeColorClip(`${tmp.dir}/red.mp4`, { color: 'red', width: 64, height: 36, durationSec: 1 });
  });
  afterAll(() => tmp.cleanup());

  it('renders with Remotion, and says why, when the compositor fails under auto', async () => {
    // An ffmpeg that always fails.
    const result = await renderServedDraft(tmp.dir, draft, 'auto.json', 'auto', undefined, { ffmpegPath: '/bin/false' });
    expect(result.engine).toBe('remotion');
    expect(result.engineReason).toMatch(/^the compositor failed \(ffmpeg exited with 1/);
    expect(probe(result.outPath).durationSec).toBeGreaterThan(0.4);
  });

  it('fails with the reason when the compositor is forced', async () => {
    await expect(renderServedDraft(tmp.dir, draft, 'forced.json', 'compositor', undefined, { ffmpegPath: '/bin/false' })).rejects.toMatchObject({
      code: 'ENCODE_FAILED',
      status: 500,
    });
  });

  it('uses Remotion, and says why, when there is no ffmpeg at all', async () => {
    const result = await renderServedDraft(tmp.dir, draft, 'none.json', 'auto', undefined, { ffmpegPath: '/nonexistent/ffmpeg' });
    expect(result.engine).toBe('remotion');
    expect(result.engineReason).toMatch(/no system ffmpeg/);
  });
});

describe('a compositor render cancelled half way', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('stops ffmpeg, leaves no video and no work files', async () => {
    makeColorClip(`${tmp.dir}/blue.mp4`, { color: 'blue', width: 320, height: 180, durationSec: 2 });
    const server = await serveDir(tmp.dir);
    const dataDir = path.join(tmp.dir, 'data');
    const outPath = path.join(tmp.dir, 'out.mp4');
    try {
      const d = new DraftBuilder({ width: 640, height: 360, fps: 30 });
      const clip = d.video(server.url('blue.mp4'), { width: 320, height: 180, durationUs: 2_000_000 });
      // 40 s of a looping clip: long enough to be caught drawing.
      d.track('video', Array.from({ length: 20 }, (_, i) => ({ materialId: clip, startUs: i * 2_000_000, durationUs: 2_000_000 })));
      writeFileSync(path.join(tmp.dir, 'long.json'), JSON.stringify(d.toJSON()));
      const controller = new AbortController();
      const rendering = renderDraft({
        source: server.url('long.json'),
        outPath,
        settings: renderSettings({ dataDir, allowPrivateNetwork: true, engine: 'compositor' }),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage === 'render' && (p.renderedFrames ?? 0) > 30) controller.abort(new Error('stop'));
        },
      });
      await expect(rendering).rejects.toThrow('stop');
      expect(existsSync(outPath)).toBe(false);
      expect(readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
      expect(readdirSync(tmp.dir).filter((f) => f.includes('.part'))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('a browser kept open across renders (a render process keeps one)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('serves render after render, and a cancelled render leaves nothing broken for the next', async () => {
    makeColorClip(`${tmp.dir}/red.mp4`, { color: 'red', width: 64, height: 36, durationSec: 1 });
    const server = await serveDir(tmp.dir);
    const browser = new BrowserSession();
    try {
      const d = new DraftBuilder({ width: 160, height: 90, fps: 30 });
      const clip = d.video(server.url('red.mp4'), { width: 64, height: 36, durationUs: 1_000_000 });
      d.track('video', [{ materialId: clip, startUs: 0, durationUs: 1_000_000 }]);
      // Text: the browser draws it.
      d.track('text', [{ materialId: d.text('保持', { size: 20 }), startUs: 0, durationUs: 1_000_000 }]);
      writeFileSync(path.join(tmp.dir, 'text.json'), JSON.stringify(d.toJSON()));
      const render = (name: string, signal?: AbortSignal, onProgress?: (p: { stage: string }) => void) =>
        renderDraft({
          source: server.url('text.json'),
          outPath: path.join(tmp.dir, name),
          settings: renderSettings({ dataDir: path.join(tmp.dir, 'data'), allowPrivateNetwork: true, engine: 'compositor' }),
          browser,
          signal,
          onProgress,
        });
      const first = await render('1.mp4');
      expect(first.browserDrawn?.map((b) => b.why)).toEqual(['text']);
      await render('2.mp4');
      expect(browser.opened).toBe(1);
      // Cancelled as the frames start: while the browser draws the caption.
      const controller = new AbortController();
      await expect(render('3.mp4', controller.signal, (p) => p.stage === 'render' && controller.abort(new Error('stop')))).rejects.toThrow('stop');
      const after = await render('4.mp4');
      expect(after.engine).toBe('compositor');
      expect(probe(after.outPath).durationSec).toBeGreaterThan(0.9);
      expect(browser.opened).toBeLessThanOrEqual(2);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 60_000);
});
