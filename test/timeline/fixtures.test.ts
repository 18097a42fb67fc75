/**
 * Every public draft fixture: JianYing drafts compile; the empty capcut-mate template and the
 * Coze2JianYing intermediate file are refused with the right codes. Warning counts are logged and
 * pinned so a change in what we skip or approximate is a visible diff.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDraft } from '../../src/draft/schema';
import { GenVideoError } from '../../src/errors';
import { compileTimeline } from '../../src/timeline/compile';
import { valueAt } from '../../src/timeline/track';
import type { TextLayer, Timeline, VideoLayer } from '../../src/timeline/types';
import { countWarnings } from '../../src/timeline/warnings';
import { FIXTURES_DIR } from './draft-builder';

const files = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json'));
const load = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES_DIR), 'utf8'));
const compileFixture = (name: string): Timeline => compileTimeline(parseDraft(load(name)), { localDir: '/drafts/x' });

const CAPCUT_MATE_TEMPLATE = 'Hommy-master__capcut-mate__template-default2-draft_content.json';
const COZE2JIANYING = 'Gardene-el__Coze2JianYing__intermediate-complete-export.json';
const PYJIANYINGDRAFT = 'zhangtuo723__pyjianji__pyjianyingdraft-demo-output.json';
const LASSELL = 'Lassell__RST__jianying-420-photo-keyframes-legacy-text.json';
const HELLOINT = 'helloint__subtitle-process__jianying-real-subtitles.json';
const CAPCUTAPI = 'xiaoxishui123__CapCutAPI__capcutapi-remote-url.json';

/** Warning counts by code per fixture (update deliberately when a rule changes). */
const EXPECTED_WARNINGS: Record<string, Record<string, number>> = {
  [LASSELL]: { 'font-substituted': 1 },
  // 系统 (JianYing's default) is the shipped Noto Sans SC: nothing substituted.
  [HELLOINT]: {},
  [CAPCUTAPI]: { 'font-substituted': 1 },
  // Its 0.5 s 信号故障 is 15 frames at 30 fps: an odd window, split 7 / 8 (an estimate).
  [PYJIANYINGDRAFT]: { 'animation-approximated': 1, 'transition-approximated': 1, 'transition-window-estimated': 1 },
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof GenVideoError ? e.code : String(e);
  }
  return undefined;
}

describe('public draft fixtures', () => {
  it('are all known to this test', () => {
    expect(files.sort()).toEqual(
      [CAPCUT_MATE_TEMPLATE, COZE2JIANYING, PYJIANYINGDRAFT, LASSELL, HELLOINT, CAPCUTAPI].sort(),
    );
  });

  it('capcut-mate empty template → DRAFT_EMPTY', () => {
    expect(codeOf(() => compileFixture(CAPCUT_MATE_TEMPLATE))).toBe('DRAFT_EMPTY');
  });

  it('Coze2JianYing intermediate export → DRAFT_INVALID with a clear message', () => {
    expect(() => parseDraft(load(COZE2JIANYING))).toThrow(/Coze2JianYing.*not a JianYing draft/);
  });

  for (const name of Object.keys(EXPECTED_WARNINGS)) {
    it(`${name} compiles (warnings pinned)`, () => {
      const tl = compileFixture(name);
      const counts = countWarnings(tl.warnings);
      console.log(
        `${name}: ${tl.widthPx}x${tl.heightPx} @${tl.fps} ${tl.durationFrames}f, ${tl.layers.length} layers, ${tl.audio.length} audio; warnings`,
        counts,
      );
      expect(counts).toEqual(EXPECTED_WARNINGS[name]);
      expect(tl.durationFrames).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(tl))).toEqual(tl);
      for (const l of tl.layers) {
        expect(l.durationFrames).toBeGreaterThan(0);
        expect(l.fromFrame).toBeGreaterThanOrEqual(0);
        if ('mediaId' in l) expect(tl.media[l.mediaId]).toBeDefined();
      }
      for (const a of tl.audio) expect(tl.media[a.mediaId]).toBeDefined();
    });
  }

  it('pyJianYingDraft demo: transition, fade, gif, text at y = -0.8', () => {
    const tl = compileFixture(PYJIANYINGDRAFT);
    expect([tl.widthPx, tl.heightPx, tl.fps, tl.durationFrames]).toEqual([1080, 1080, 30, 153]);
    const [videoLayer, gif, caption] = tl.layers as [VideoLayer, VideoLayer, TextLayer];
    expect(videoLayer.kind).toBe('video');
    expect(videoLayer.transitionOut).toEqual({ name: '信号故障', kind: 'glitch', startFrame: 119, durationFrames: 15 });
    // 斜切 (slant cut) is not in the table: a fade over its 0.7 s.
    expect(videoLayer.animations).toEqual([
      { name: '斜切', family: 'fade', phase: 'in', startFrame: 0, durationFrames: 21, pose: { opacity: 0 }, easing: 'linear' },
    ]);
    expect(gif.kind).toBe('gif');
    expect(gif.fromFrame).toBe(126 - 7);
    expect(caption.kind).toBe('text');
    expect(valueAt(caption.geometry.centerYPx, 0)).toBeCloseTo(972, 9);
    expect(caption.text.runs[0]).toMatchObject({ fontSizePx: 54, color: '#ffff00' });
    const music = tl.audio.find((a) => a.mediaId === 'ffdb7367953f379daddd00230650c504')!;
    expect(music.gain).toEqual({ frames: [0, 30], values: [0, 0.6] });
  });

  it('JianYing 4.2 photo draft: Ken Burns key frames and legacy markup', () => {
    const tl = compileFixture(LASSELL);
    expect([tl.widthPx, tl.heightPx]).toEqual([1920, 1440]);
    const first = tl.layers[0];
    expect(first.kind).toBe('image');
    expect(first.boxPx).toEqual({ width: 1920, height: 1280 });
    expect(first.geometry.centerXPx).toEqual({ frames: [0, 156], values: [1056, 864] });
    expect(first.geometry.scaleX.values).toEqual([1.2375, 1.2375]);
    const caption = tl.layers.find((l) => l.kind === 'text') as TextLayer;
    expect(caption.text.runs[0]).toMatchObject({ text: '我的新身份是武则天的男宠', fontSizePx: 84, color: '#ffde00' });
    expect(caption.text.runs[0].stroke?.widthPx).toBeCloseTo(6.72, 9);
    // 新青年体 (resource 6740435892441190919) is a heavy display sans: the closest shipped look.
    expect(caption.text.runs[0]).toMatchObject({ fontFamily: 'Noto Sans SC', fontWeight: 900 });
    expect(tl.warnings.find((w) => w.code === 'font-substituted')?.message).toBe(
      'font "新青年体" drawn with Noto Sans SC Black (closest shipped font)',
    );
    // Plain `text` materials do not wrap at line_max_width in JianYing.
    expect(caption.text.wrap).toBe(false);
    expect(tl.layers.filter((l) => l.kind === 'text')).toHaveLength(188);
  });

  it('real JianYing subtitles: plain text, flat fields, y = 0.365', () => {
    const tl = compileFixture(HELLOINT);
    const subs = tl.layers.filter((l) => l.kind === 'text') as TextLayer[];
    expect(subs).toHaveLength(8);
    expect(subs[0].text.runs[0]).toMatchObject({ fontSizePx: 60, color: '#ffffff' });
    expect(subs[0].text.runs[0].stroke).toBeUndefined();
    expect(subs[0].text.runs[0]).toMatchObject({ fontFamily: 'Noto Sans SC', fontWeight: 400 });
    // `subtitle` materials wrap at line_max_width (0.82 × 1920 by default).
    expect(subs[0].text.wrap).toBe(true);
    expect(valueAt(subs[0].geometry.centerYPx, 0)).toBeCloseTo(540 * (1 - 0.365), 9);
    expect(tl.audio).toHaveLength(1);
  });

  it('CapCutAPI: remote_url first, speed null', () => {
    const tl = compileFixture(CAPCUTAPI);
    const image = tl.layers.find((l) => l.kind === 'image')!;
    expect(tl.media[(image as { mediaId: string }).mediaId].candidates[0]).toBe('https://picsum.photos/800/600');
    expect(tl.audio[0].playbackRate).toBe(1);
    const caption = tl.layers.find((l) => l.kind === 'text') as TextLayer;
    expect(caption.text.runs[0].text).toBe('欢迎使用CapCutAPI！\n这是一个测试文本。\n支持多行文本。');
    expect(caption.text.align).toBe('center');
    expect(caption.text.runs[0]).toMatchObject({ fontFamily: 'Noto Sans SC', fontWeight: 400, color: '#ff0000' });
    expect(tl.warnings.find((w) => w.code === 'font-substituted')?.message).toBe(
      'font "HarmonyOS_Sans_SC_Regular" drawn with Noto Sans SC Regular (closest shipped font)',
    );
  });
});
