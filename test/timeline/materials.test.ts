import { describe, expect, it } from 'vitest';
import { parseDraft } from '../../src/draft/schema';
import { indexMaterials, mediaCandidates, mediaRefForVideo, videoMaterialKind } from '../../src/timeline/materials';
import { rawDraft } from './draft-builder';

const videoMaterial = (fields: Record<string, unknown>) =>
  parseDraft(rawDraft({ tracks: [], materials: { videos: [{ id: 'v', ...fields }] } })).materials.videos[0];

describe('material lookup', () => {
  it('finds ids in every materials list', () => {
    const d = parseDraft(
      rawDraft({
        tracks: [],
        materials: { videos: [{ id: 'v' }], masks: [{ id: 'm', name: 'circle' }], beats: [{ id: 'b' }], weird: 3 },
      }),
    );
    const index = indexMaterials(d.materials);
    expect(index.get('v')?.list).toBe('videos');
    expect(index.get('m')).toEqual({ list: 'masks', item: { id: 'm', name: 'circle' } });
    expect(index.get('b')?.list).toBe('beats');
    expect(index.get('nope')).toBeUndefined();
  });
});

describe('media kind', () => {
  it('photo type → photo, .gif → gif, else video', () => {
    expect(videoMaterialKind(videoMaterial({ type: 'photo', path: 'https://picsum.photos/800/600' }))).toBe('photo');
    expect(videoMaterialKind(videoMaterial({ type: 'video', path: 'c:\\a\\sticker.gif' }))).toBe('gif');
    expect(videoMaterialKind(videoMaterial({ type: 'video', path: 'https://x/y', material_name: 'a.GIF' }))).toBe('gif');
    expect(videoMaterialKind(videoMaterial({ type: 'video', path: '/a/b.mp4' }))).toBe('video');
  });
  it('builds a MediaRef with name and size', () => {
    expect(mediaRefForVideo(videoMaterial({ type: 'video', path: '/a/b.mp4', width: 640, height: 360, has_audio: false }), {})).toEqual({
      id: 'v',
      kind: 'video',
      name: 'b.mp4',
      candidates: ['/a/b.mp4'],
      widthPx: 640,
      heightPx: 360,
      hasAudio: false,
    });
  });
});

describe('media candidates', () => {
  it('puts remote_url first, then an http path', () => {
    expect(mediaCandidates('assets/video/image.png', 'https://picsum.photos/800/600', { localDir: '/drafts/d1' })).toEqual([
      'https://picsum.photos/800/600',
      '/drafts/d1/assets/video/image.png',
    ]);
    expect(mediaCandidates('https://cdn/x.mp4', undefined, { localDir: '/d' })).toEqual(['https://cdn/x.mp4']);
  });

  it('matches capcut-mate server paths against the draft file list', () => {
    const fileUrls = [
      'https://mate.example/files/draft_content.json',
      'https://mate.example/files/abc/assets/images/x.png?sig=1',
      'https://mate.example/files/abc/assets/audio/y.mp3',
    ];
    expect(mediaCandidates('/app/output/draft/abc/assets/images/x.png', undefined, { fileUrls })).toEqual([
      'https://mate.example/files/abc/assets/images/x.png?sig=1',
      '/app/output/draft/abc/assets/images/x.png',
    ]);
    expect(mediaCandidates('assets/audio/y.mp3', undefined, { fileUrls })[0]).toBe('https://mate.example/files/abc/assets/audio/y.mp3');
    // by file name when the folders differ
    expect(mediaCandidates('/elsewhere/y.mp3', undefined, { fileUrls })[0]).toBe('https://mate.example/files/abc/assets/audio/y.mp3');
  });

  it('resolves placeholder and relative paths against the draft folder or URL', () => {
    const placeholder = '##_draftpath_placeholder_0E685133-18CE-45ED-8CB8-2904A212EC80_##/assets/a.mp4';
    expect(mediaCandidates(placeholder, undefined, { localDir: '/drafts/d1/' })).toEqual(['/drafts/d1/assets/a.mp4']);
    expect(mediaCandidates(placeholder, undefined, { draftUrl: 'https://oss.example/2025/draft/d.json' })).toEqual([
      'https://oss.example/2025/draft/assets/a.mp4',
    ]);
    expect(mediaCandidates('media/b.mp3', undefined, { localDir: '/x', draftUrl: 'https://h/p/d.json' })).toEqual([
      '/x/media/b.mp3',
      'https://h/p/media/b.mp3',
    ]);
  });

  it('keeps Windows and absolute local paths as given', () => {
    expect(mediaCandidates('C:/Users/hello/Desktop/a.mp4', undefined, { localDir: '/d' })).toEqual(['C:/Users/hello/Desktop/a.mp4']);
    expect(mediaCandidates('c:\\Users\\a.mp3', undefined, {})).toEqual(['c:\\Users\\a.mp3']);
    expect(mediaCandidates('/media/a.mp4', undefined, { localDir: '/d' })).toEqual(['/media/a.mp4']);
  });
});
