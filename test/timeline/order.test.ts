import { describe, expect, it } from 'vitest';
import { compileTimeline } from '../../src/timeline/compile';
import { compareDrawOrder, defaultRenderIndex, drawOrderKey } from '../../src/timeline/order';
import { draft, segment, text, video } from './draft-builder';

describe('draw order', () => {
  it('uses segment, then track render_index, then a default by type', () => {
    expect(drawOrderKey({ render_index: 5 }, { type: 'text', render_index: 3 }, 0, 0).renderIndex).toBe(5);
    expect(drawOrderKey({}, { type: 'text', render_index: 3 }, 0, 0).renderIndex).toBe(3);
    expect(drawOrderKey({}, { type: 'text' }, 0, 0).renderIndex).toBe(defaultRenderIndex('text'));
    expect(defaultRenderIndex('video')).toBe(0);
    expect(defaultRenderIndex('sticker')).toBe(14000);
    const key = (r: number, t: number, s: number) => ({ renderIndex: r, trackIndex: t, segmentIndex: s });
    expect(compareDrawOrder(key(1, 0, 0), key(0, 5, 5))).toBeGreaterThan(0);
    expect(compareDrawOrder(key(0, 1, 0), key(0, 0, 9))).toBeGreaterThan(0);
    expect(compareDrawOrder(key(0, 0, 2), key(0, 0, 1))).toBeGreaterThan(0);
  });

  it('sorts layers back to front', () => {
    const tl = compileTimeline(
      draft({
        tracks: [
          // text track first in the list, but its render index puts it on top
          { id: 'tt', type: 'text', segments: [segment('caption', 'txt', 0, 1_000_000, { render_index: 14001 })] },
          { id: 'main', type: 'video', segments: [segment('main2', 'v', 1_000_000, 1_000_000), segment('main1', 'v', 0, 1_000_000)] },
          { id: 'pip', type: 'video', segments: [segment('pip', 'v', 0, 2_000_000)] },
          { id: 'top', type: 'video', render_index: 20000, segments: [segment('top', 'v', 0, 1_000_000, { render_index: undefined })] },
          { id: 'low', type: 'text', segments: [segment('low', 'txt', 0, 1_000_000, { render_index: 1 })] },
        ],
        materials: { videos: [video('v')], texts: [text('txt', 'hi')] },
      }),
    );
    expect(tl.layers.map((l) => l.id)).toEqual(['main1', 'main2', 'pip', 'low', 'caption', 'top']);
  });
});
