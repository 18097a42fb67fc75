import { describe, expect, it } from 'vitest';
import { compileTimeline } from '../../src/timeline/compile';
import type { ImageLayer } from '../../src/timeline/types';
import { draft, segment, video } from './draft-builder';

const sticker = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'sticker',
  resource_id: '7000',
  sticker_id: '7000',
  name: '爱心',
  path: 'C:/Users/x/JianyingPro/Cache/effect/7000/sticker.webp',
  icon_url: '',
  preview_cover_url: '',
  ...extra,
});

function compile(stickers: Record<string, unknown>[]) {
  return compileTimeline(
    draft({
      tracks: [
        { id: 'main', type: 'video', segments: [segment('v', 'v', 0, 1_000_000)] },
        {
          id: 'st',
          type: 'sticker',
          segments: stickers.map((s, i) => ({ ...segment(`s${i}`, String(s.id), 0, 1_000_000), source_timerange: null })),
        },
      ],
      materials: { videos: [video('v')], stickers },
    }),
  );
}

describe('stickers', () => {
  it('draws a sticker with a picture URL as an image over the video, contained in the canvas', () => {
    const tl = compile([sticker('a', { preview_cover_url: 'https://cdn.example/a.webp', icon_url: 'https://cdn.example/a-icon.png' })]);
    const layer = tl.layers[1] as ImageLayer;
    expect(tl.layers.map((l) => l.id)).toEqual(['v', 's0']);
    expect(layer).toMatchObject({ kind: 'image', mediaId: 'a', fit: 'contain', boxPx: { width: 1080, height: 1920 } });
    expect(tl.media.a).toEqual({
      id: 'a',
      kind: 'photo',
      name: 'sticker 爱心',
      candidates: ['https://cdn.example/a.webp', 'https://cdn.example/a-icon.png'],
    });
    expect(tl.warnings.map((w) => [w.segmentId, w.code])).toEqual([['s0', 'sticker-approximated']]);
  });

  it('fits a sticker of known size like any picture', () => {
    const tl = compile([sticker('a', { path: 'https://cdn.example/a.png', original_size: [200, 100] })]);
    const layer = tl.layers[1] as ImageLayer;
    expect(layer.boxPx).toEqual({ width: 1080, height: 540 });
    expect(layer.fit).toBeUndefined();
  });

  it('skips a sticker with only JianYing’s local cache path', () => {
    const tl = compile([sticker('a')]);
    expect(tl.layers.map((l) => l.id)).toEqual(['v']);
    expect(tl.warnings).toEqual([{ segmentId: 's0', code: 'sticker-skipped', message: 'sticker "爱心" has no picture URL: not drawn' }]);
  });
});
