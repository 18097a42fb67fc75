import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDraft } from '../../src/draft/schema';
import { GenVideoError } from '../../src/errors';
import { FIXTURES_DIR, rawDraft, segment, video } from '../timeline/draft-builder';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES_DIR), 'utf8'));

function invalidReason(json: unknown): string {
  try {
    parseDraft(json);
  } catch (e) {
    expect(e).toBeInstanceOf(GenVideoError);
    expect((e as GenVideoError).code).toBe('DRAFT_INVALID');
    return (e as GenVideoError).reason ?? '';
  }
  throw new Error('expected DRAFT_INVALID');
}

const oneSegment = (seg: Record<string, unknown>) =>
  rawDraft({ tracks: [{ id: 't', type: 'video', segments: [seg] }], materials: { videos: [video('v')] } });

describe('parseDraft', () => {
  it('accepts every JianYing fixture', () => {
    const files = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json') && !f.includes('Coze2JianYing'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(() => parseDraft(fixture(f))).not.toThrow();
  });

  it("rejects Coze2JianYing's intermediate export with a clear message", () => {
    const reason = invalidReason(fixture('Gardene-el__Coze2JianYing__intermediate-complete-export.json'));
    expect(reason).toContain('Coze2JianYing');
    expect(reason).toContain('not a JianYing draft');
  });

  it('rejects things without tracks and materials', () => {
    expect(invalidReason({ hello: 1 })).toBe('not a JianYing draft (no tracks/materials)');
    expect(invalidReason([1, 2])).toBe('not a JianYing draft (no tracks/materials)');
    expect(invalidReason('{"tracks": []}')).toBe('not a JianYing draft (no tracks/materials)');
    expect(invalidReason(null)).toBe('not a JianYing draft (no tracks/materials)');
  });

  it('names the field of a wrong type', () => {
    const json = rawDraft({
      tracks: [
        {
          id: 't',
          type: 'video',
          segments: [segment('a', 'v', 0, 1), segment('b', 'v', 1, 1), { ...segment('c', 'v', 2, 1), target_timerange: { start: 2, duration: '1' } }],
        },
      ],
      materials: { videos: [video('v')] },
    });
    expect(invalidReason(json)).toBe('tracks[0].segments[2].target_timerange.duration: expected a number');
    expect(invalidReason({ tracks: {}, materials: {} })).toBe('tracks: expected an array');
    expect(invalidReason({ tracks: [], materials: [] })).toBe('materials: expected an object');
    expect(invalidReason(oneSegment({ ...segment('a', 'v', 0, 1), speed: 'fast' }))).toBe(
      'tracks[0].segments[0].speed: expected a number',
    );
    expect(invalidReason(oneSegment({ ...segment('a', 'v', 0, 1), clip: { scale: { x: '1' } } }))).toBe(
      'tracks[0].segments[0].clip.scale.x: expected a number',
    );
    expect(invalidReason(oneSegment({ ...segment('a', 'v', 0, 1), id: { x: 1 } }))).toBe(
      'tracks[0].segments[0].id: expected a string or a number',
    );
    const err = (() => {
      try {
        parseDraft({ tracks: {}, materials: {} });
      } catch (e) {
        return e as GenVideoError;
      }
    })();
    expect(err?.status).toBe(400);
  });

  it('fills the documented defaults for nulls and missing fields', () => {
    const d = parseDraft(
      oneSegment({
        id: 's',
        material_id: 'v',
        target_timerange: { duration: 1_000_000 },
        source_timerange: null,
        speed: null,
        volume: null,
        clip: null,
        extra_material_refs: null,
      }),
    );
    const s = d.tracks[0].segments[0];
    expect(s.target_timerange.start).toBe(0);
    expect(s.speed).toBe(1);
    expect(s.volume).toBe(1);
    expect(s.visible).toBe(true);
    expect(s.source_timerange).toBeNull();
    expect(s.clip).toEqual({
      alpha: 1,
      flip: { horizontal: false, vertical: false },
      rotation: 0,
      scale: { x: 1, y: 1 },
      transform: { x: 0, y: 0 },
    });
    expect(s.extra_material_refs).toEqual([]);
    expect(s.common_keyframes).toEqual([]);

    const flipEmpty = parseDraft(oneSegment({ ...segment('a', 'v', 0, 1), clip: { flip: {}, alpha: 0.5 } }));
    expect(flipEmpty.tracks[0].segments[0].clip.flip).toEqual({ horizontal: false, vertical: false });
    expect(flipEmpty.tracks[0].segments[0].clip.alpha).toBe(0.5);
  });

  it('lets unknown fields through', () => {
    const d = parseDraft({ ...oneSegment({ ...segment('a', 'v', 0, 1), hdr_settings: { nits: 1000 } }), platform: { os: 'mac' } });
    expect((d as Record<string, unknown>).platform).toEqual({ os: 'mac' });
    expect((d.tracks[0].segments[0] as Record<string, unknown>).hdr_settings).toEqual({ nits: 1000 });
  });

  it('merges the older extra_material_ids into extra_material_refs', () => {
    const d = parseDraft(fixture('helloint__subtitle-process__jianying-real-subtitles.json'));
    expect(d.tracks[0].segments[0].extra_material_refs).toEqual([
      'C5AFFAB1-7F3B-4b6e-A4D8-1439B57C2E0F',
      'E743C039-58E2-4712-9124-2DB709C723BD',
    ]);
  });

  it('reads speed: null as 1 (CapCutAPI fixture)', () => {
    const d = parseDraft(fixture('xiaoxishui123__CapCutAPI__capcutapi-remote-url.json'));
    expect(d.tracks[1].segments[0].speed).toBe(1);
    expect(d.fps).toBe(30);
  });
});
