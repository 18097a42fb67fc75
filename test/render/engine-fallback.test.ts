// `auto` must still deliver a video when the compositor fails; a forced compositor must say so.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  afterEach(() => {
    delete process.env.FFMPEG_PATH;
  });
  afterAll(() => tmp.cleanup());

  it('renders with Remotion, and says why, when the compositor fails under auto', async () => {
    process.env.FFMPEG_PATH = '/bin/false'; // an ffmpeg that always fails
    const result = await renderServedDraft(tmp.dir, draft, 'auto.json', 'auto');
    expect(result.engine).toBe('remotion');
    expect(result.engineReason).toMatch(/^the compositor failed \(ffmpeg exited with 1/);
    expect(probe(result.outPath).durationSec).toBeGreaterThan(0.4);
  });

  it('fails with the reason when the compositor is forced', async () => {
    process.env.FFMPEG_PATH = '/bin/false';
    await expect(renderServedDraft(tmp.dir, draft, 'forced.json', 'compositor')).rejects.toMatchObject({
      code: 'ENCODE_FAILED',
      status: 500,
    });
  });

  it('uses Remotion, and says why, when there is no ffmpeg at all', async () => {
    process.env.FFMPEG_PATH = '/nonexistent/ffmpeg';
    const result = await renderServedDraft(tmp.dir, draft, 'none.json', 'auto');
    expect(result.engine).toBe('remotion');
    expect(result.engineReason).toMatch(/no system ffmpeg/);
  });
});
