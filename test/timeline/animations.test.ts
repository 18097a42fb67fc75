import { describe, expect, it } from 'vitest';
import { ANIMATION_NAMES } from '../../src/timeline/animation-names';
import { animationWindow } from '../../src/timeline/animations';
import { compileTimeline } from '../../src/timeline/compile';
import type { TextLayer } from '../../src/timeline/types';
import { draft, segment, text, video } from './draft-builder';

type Anim = { name: string; type: string; start: number; duration: number };

/** One 2 s segment on a 1080×1920 canvas at 30 fps with the given animations. */
function animated(animations: Anim[], o: { text?: boolean } = {}) {
  return compileTimeline(
    draft({
      tracks: [
        {
          id: 't',
          type: o.text ? 'text' : 'video',
          segments: [segment('s', o.text ? 'x' : 'v', 0, 2_000_000, { extra_material_refs: ['anim'] })],
        },
      ],
      materials: {
        videos: [video('v')],
        texts: [text('x', 'Hello')],
        material_animations: [{ id: 'anim', type: 'sticker_animation', animations: animations.map((a, i) => ({ id: String(i), ...a })) }],
      },
    }),
  );
}

const codes = (tl: ReturnType<typeof compileTimeline>) => tl.warnings.map((w) => w.code);

describe('animations', () => {
  it('rounds a window from µs like segments and clamps it to the layer', () => {
    expect(animationWindow(0, 500_000, 60, 30)).toEqual({ startFrame: 0, durationFrames: 15 });
    expect(animationWindow(1_500_000, 500_000, 60, 30)).toEqual({ startFrame: 45, durationFrames: 15 });
    expect(animationWindow(1_800_000, 500_000, 60, 30)).toEqual({ startFrame: 54, durationFrames: 6 });
    expect(animationWindow(0, 10_000, 60, 30)).toBeNull();
  });

  it("gives an animation without a duration JianYing's default for its name (斜切 0.7 s, others 0.5 s)", () => {
    const tl = animated([
      { name: '斜切', type: 'in', start: 0, duration: 0 },
      { name: '渐隐', type: 'out', start: 0, duration: 0 },
    ]);
    // The outro without a start ends with its segment.
    expect(tl.layers[0].animations?.map((a) => [a.name, a.startFrame, a.durationFrames])).toEqual([
      ['斜切', 0, 21],
      ['渐隐', 45, 15],
    ]);
    expect(codes(tl)).toContain('animation-approximated');
  });

  it('maps intros and outros to poses, with no warning', () => {
    const tl = animated([
      { name: '渐显', type: 'in', start: 0, duration: 500_000 },
      { name: '渐隐', type: 'out', start: 1_500_000, duration: 500_000 },
    ]);
    expect(tl.layers[0].animations).toEqual([
      { name: '渐显', family: 'fade', phase: 'in', startFrame: 0, durationFrames: 15, pose: { opacity: 0 }, easing: 'linear' },
      { name: '渐隐', family: 'fade', phase: 'out', startFrame: 45, durationFrames: 15, pose: { opacity: 0 }, easing: 'linear' },
    ]);
    expect(codes(tl)).toEqual([]);
  });

  it('slides pictures from a whole canvas away, in the named direction of motion', () => {
    const [intro, outro] = animated([
      { name: '向左滑动', type: 'in', start: 0, duration: 500_000 },
      { name: '向下滑动', type: 'out', start: 1_500_000, duration: 500_000 },
    ]).layers[0].animations!;
    // Moving left, the intro starts one canvas (1080 px) to the right.
    expect(intro).toMatchObject({ family: 'slide', pose: { offsetXPx: 1080, offsetYPx: 0 }, easing: 'ease-out' });
    // Moving down, the outro ends one canvas (1920 px) below.
    expect(outro).toMatchObject({ family: 'slide', pose: { offsetXPx: 0, offsetYPx: 1920 } });
  });

  it('slides text a tenth of the canvas with a fade', () => {
    const [intro] = animated([{ name: '向右滑动', type: 'in', start: 0, duration: 500_000 }], { text: true }).layers[0].animations!;
    expect(intro.pose).toEqual({ offsetXPx: -108, offsetYPx: 0, opacity: 0 });
  });

  it('maps zooms, rotation and the 弹入 overshoot', () => {
    const anims = animated([
      { name: '放大', type: 'in', start: 0, duration: 500_000 },
      { name: '旋转', type: 'out', start: 1_000_000, duration: 500_000 },
      { name: '缩小', type: 'out', start: 1_500_000, duration: 500_000 },
    ]).layers[0].animations!;
    expect(anims.map((a) => [a.family, a.pose])).toEqual([
      ['zoom-in', { scale: 0 }],
      ['rotate', { rotationDeg: 180, scale: 0 }],
      ['zoom-out', { scale: 0 }],
    ]);
    const [bounce] = animated([{ name: '弹入', type: 'in', start: 0, duration: 500_000 }], { text: true }).layers[0].animations!;
    expect(bounce).toMatchObject({ family: 'bounce-in', pose: { scale: 0 }, easing: 'back-out' });
  });

  it('draws unknown intros and outros as fades and reports them in one warning', () => {
    const tl = animated([
      { name: '斜切', type: 'in', start: 0, duration: 700_000 },
      { name: '魔法粒子I', type: 'out', start: 1_000_000, duration: 1_000_000 },
    ]);
    expect(tl.layers[0].animations!.map((a) => [a.name, a.family, a.phase, a.pose])).toEqual([
      ['斜切', 'fade', 'in', { opacity: 0 }],
      ['魔法粒子I', 'fade', 'out', { opacity: 0 }],
    ]);
    expect(codes(tl)).toEqual(['animation-approximated']);
    expect(tl.warnings[0].message).toMatch(/斜切.*魔法粒子I/);
  });

  it('repeats loops over their window and leaves unknown loops out, reported', () => {
    const tl = animated([
      { name: '闪烁', type: 'loop', start: 0, duration: 2_000_000 },
      { name: 'VHS', type: 'loop', start: 0, duration: 2_000_000 },
    ]);
    expect(tl.layers[0].animations).toEqual([
      { name: '闪烁', family: 'blink', phase: 'loop', startFrame: 0, durationFrames: 60, pose: { opacity: 0 }, easing: 'linear', periodFrames: 15, wave: 'pingpong' },
    ]);
    expect(codes(tl)).toEqual(['animation-skipped']);
    expect(tl.warnings[0].message).toContain('VHS');
  });

  it('splits a group animation into an intro and an outro, reported as approximated', () => {
    const tl = animated([{ name: '缩放', type: 'group', start: 0, duration: 2_000_000 }]);
    expect(tl.layers[0].animations!.map((a) => [a.phase, a.family, a.startFrame, a.durationFrames])).toEqual([
      ['in', 'zoom-in', 0, 30],
      ['out', 'zoom-out', 30, 30],
    ]);
    expect(codes(tl)).toEqual(['animation-approximated']);
    // Unknown groups fade in and out over at most 0.5 s.
    const unknown = animated([{ name: '魔方', type: 'group', start: 0, duration: 2_000_000 }]);
    expect(unknown.layers[0].animations!.map((a) => [a.phase, a.family, a.startFrame, a.durationFrames])).toEqual([
      ['in', 'fade', 0, 15],
      ['out', 'fade', 45, 15],
    ]);
  });

  it('puts typewriter and per-character reveals on text layers (the text view draws them)', () => {
    const tl = animated([{ name: '打字机 I', type: 'in', start: 0, duration: 1_000_000 }], { text: true });
    const layer = tl.layers[0] as TextLayer;
    expect(layer.reveal).toEqual({ name: '打字机 I', mode: 'typewriter', startFrame: 0, durationFrames: 30 });
    expect(layer.animations).toBeUndefined();
    // A numbered variant is drawn like its base name, and says so; the base name is exact.
    expect(codes(tl)).toEqual(['animation-approximated']);
    expect(codes(animated([{ name: '打字机', type: 'in', start: 0, duration: 1_000_000 }], { text: true }))).toEqual([]);
    expect((animated([{ name: '逐字显影', type: 'in', start: 0, duration: 500_000 }], { text: true }).layers[0] as TextLayer).reveal?.mode).toBe('char-fade');
    // On a picture a typewriter has nothing to type: a fade.
    expect(animated([{ name: '打字机 I', type: 'in', start: 0, duration: 500_000 }]).layers[0].animations?.[0].family).toBe('fade');
  });

  it('knows the common names', () => {
    for (const name of ['渐显', '放大', '缩小', '向左滑动', '向右滑动', '向上滑动', '向下滑动', '旋转', '弹入', '打字机', '逐字显示']) {
      expect(ANIMATION_NAMES.in, name).toContain(name);
    }
    for (const name of ['渐隐', '放大', '缩小', '向左滑动', '旋转']) expect(ANIMATION_NAMES.out, name).toContain(name);
  });
});
