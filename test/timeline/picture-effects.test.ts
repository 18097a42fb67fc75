// The frame math of transitions and animations, with numbers worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  animationPoseAt,
  ease,
  flashOverlayAt,
  transitionEffectAt,
  windowProgress,
} from '../../src/timeline/picture/effects';
import { composeEffect, effectNeedsBrowser, type Placement } from '../../src/timeline/picture/pose';
import { pictureRect } from '../../src/timeline/picture/fit';
import { IDENTITY_EFFECT, type CanvasEffect } from '../../src/timeline/picture/effects';
import { constantTrack } from '../../src/timeline/track';
import { gifFrameAt, gifImageAt, gifOccurrences } from '../../src/timeline/picture/gif';
import type { ImageLayer } from '../../src/timeline/types';
import type { LayerAnimation, TransitionEffect } from '../../src/timeline/types';

const canvas = { width: 96, height: 54 };
/** A 15-frame window: frame 7 is its middle (progress (7 + 0.5) / 15 = 0.5). */
const t = (kind: TransitionEffect['kind'], extra: Partial<TransitionEffect> = {}): TransitionEffect => ({
  name: 'x',
  kind,
  startFrame: 0,
  durationFrames: 15,
  ...extra,
});

describe('transition math', () => {
  it('samples windows at the middle of each frame', () => {
    expect(windowProgress(0, 15, 7)).toBe(0.5);
    expect(windowProgress(0, 15, 0)).toBeCloseTo(1 / 30, 9);
    expect(windowProgress(0, 15, -3)).toBe(0);
    expect(windowProgress(0, 15, 20)).toBe(1);
  });

  it('flashes to full colour at the cut and switches the picture there', () => {
    expect(flashOverlayAt(t('flash-white'), 7)).toEqual({ color: '#ffffff', opacity: 1 });
    expect(flashOverlayAt(t('flash-black'), 0)!.opacity).toBeCloseTo(1 / 15, 9);
    expect(transitionEffectAt(t('flash-white'), 'in', 6, canvas).opacity).toBe(0);
    expect(transitionEffectAt(t('flash-white'), 'in', 7, canvas).opacity).toBe(1);
    expect(flashOverlayAt(t('crossfade'), 7)).toBeNull();
  });

  it('pushes both sides by one canvas in the direction of motion', () => {
    const left = t('push', { direction: 'left' });
    // Midpoint: the incoming is half a canvas right of its place, the outgoing half a canvas left.
    expect(transitionEffectAt(left, 'in', 7, canvas).translateXPx).toBe(48);
    expect(transitionEffectAt(left, 'out', 7, canvas).translateXPx).toBe(-48);
    const up = t('push', { direction: 'up' });
    expect(transitionEffectAt(up, 'in', 7, canvas).translateYPx).toBe(27);
    // A slide leaves the outgoing still.
    expect(transitionEffectAt(t('slide', { direction: 'right' }), 'out', 7, canvas).translateXPx).toBe(0);
    expect(transitionEffectAt(t('slide', { direction: 'right' }), 'in', 7, canvas).translateXPx).toBe(-48);
  });

  it('wipes and opens curtains with clip insets, circles with a radius', () => {
    expect(transitionEffectAt(t('wipe', { direction: 'left' }), 'in', 7, canvas).clip).toEqual({ kind: 'inset', top: 0, right: 0, bottom: 0, left: 0.5 });
    expect(transitionEffectAt(t('wipe', { direction: 'down' }), 'in', 7, canvas).clip).toEqual({ kind: 'inset', top: 0, right: 0, bottom: 0.5, left: 0 });
    expect(transitionEffectAt(t('curtain', { axis: 'horizontal' }), 'in', 7, canvas).clip).toEqual({ kind: 'inset', top: 0, right: 0.25, bottom: 0, left: 0.25 });
    expect(transitionEffectAt(t('circle-reveal'), 'in', 7, canvas).clip).toEqual({ kind: 'circle', radius: 0.5 });
    expect(transitionEffectAt(t('wipe', { direction: 'left' }), 'out', 7, canvas).clip).toBeUndefined();
  });

  it('zooms, blurs and turns both sides', () => {
    expect(transitionEffectAt(t('zoom-in'), 'out', 7, canvas).scaleX).toBe(1.5);
    expect(transitionEffectAt(t('zoom-in'), 'in', 7, canvas)).toMatchObject({ scaleX: 0.75, opacity: 0.5 });
    expect(transitionEffectAt(t('zoom-out'), 'in', 7, canvas).scaleX).toBe(1.5);
    // Blur peaks at 3 % of 96 px at the cut on both sides.
    expect(transitionEffectAt(t('blur'), 'out', 7, canvas).blurPx).toBeCloseTo(2.88, 9);
    expect(transitionEffectAt(t('blur'), 'in', 7, canvas).blurPx).toBeCloseTo(2.88, 9);
    expect(transitionEffectAt(t('rotate', { clockwise: true }), 'out', 7, canvas).rotateDeg).toBe(45);
    expect(transitionEffectAt(t('rotate', { clockwise: false }), 'in', 7, canvas).rotateDeg).toBe(45);
  });

  it('keeps the glitch still at the window edges', () => {
    const edge = transitionEffectAt(t('glitch'), 'out', 0, canvas);
    expect(Math.abs(edge.translateXPx)).toBeLessThan(0.3);
    expect(edge.hueRotateDeg).toBe(0);
  });
});

describe('animation math', () => {
  const anim = (a: Partial<LayerAnimation>): LayerAnimation => ({
    name: 'x',
    family: 'fade',
    phase: 'in',
    startFrame: 0,
    durationFrames: 15,
    pose: { opacity: 0 },
    easing: 'linear',
    ...a,
  });

  it('eases', () => {
    expect(ease('linear', 0.5)).toBe(0.5);
    expect(ease('ease-out', 0.5)).toBe(0.75);
    expect(ease('back-out', 1)).toBeCloseTo(1, 9);
    // easeOutBack overshoots by ~10 %.
    expect(Math.max(...Array.from({ length: 101 }, (_, i) => ease('back-out', i / 100)))).toBeCloseTo(1.1, 1);
  });

  it('fades in from the pose and out to it', () => {
    expect(animationPoseAt([anim({})], 7).opacity).toBe(0.5);
    expect(animationPoseAt([anim({})], 15).opacity).toBe(1);
    expect(animationPoseAt([anim({})], -1).opacity).toBe(0);
    const out = anim({ phase: 'out', startFrame: 45 });
    expect(animationPoseAt([out], 44).opacity).toBe(1);
    expect(animationPoseAt([out], 52).opacity).toBe(0.5);
    expect(animationPoseAt([out], 60).opacity).toBe(0);
  });

  it('eases a slide and a zoom into place', () => {
    // ease-out at the middle is 0.75 of the way: a quarter of the offset / scale gap is left.
    const slide = anim({ family: 'slide', pose: { offsetXPx: 96 }, easing: 'ease-out' });
    expect(animationPoseAt([slide], 7).offsetXPx).toBe(24);
    const zoom = anim({ family: 'zoom-in', pose: { scale: 0 }, easing: 'ease-out' });
    expect(animationPoseAt([zoom], 7).scale).toBe(0.75);
    // An outro runs the easing backwards: at its middle it is a quarter of the way out.
    expect(animationPoseAt([{ ...zoom, phase: 'out' }], 7).scale).toBe(0.75);
  });

  it('loops with a period', () => {
    const blink = anim({ phase: 'loop', durationFrames: 60, periodFrames: 10, wave: 'pingpong' });
    // Mid-cycle (frame 4.5 of 10) the blink is almost fully out; the cycle repeats.
    expect(animationPoseAt([blink], 4).opacity).toBeCloseTo((1 + Math.cos(2 * Math.PI * 0.45)) / 2, 9);
    expect(animationPoseAt([blink], 14).opacity).toBeCloseTo(animationPoseAt([blink], 4).opacity, 9);
    expect(animationPoseAt([blink], 60).opacity).toBe(1);
  });
});

describe('composing a canvas effect into a placement', () => {
  /** CSS `translate(t) rotate(r) scale(s)` about the origin O maps P to O + t + R·S·(P − O). */
  const css = (e: CanvasEffect, x: number, y: number): [number, number] => {
    const ox = e.originX * canvas.width;
    const oy = e.originY * canvas.height;
    const a = (e.rotateDeg * Math.PI) / 180;
    const sx = e.scaleX * (x - ox);
    const sy = e.scaleY * (y - oy);
    return [ox + e.translateXPx + sx * Math.cos(a) - sy * Math.sin(a), oy + e.translateYPx + sx * Math.sin(a) + sy * Math.cos(a)];
  };
  const pose: Placement = { centerXPx: 30, centerYPx: 12, scaleX: 0.5, scaleY: 0.5, rotationDeg: 10, opacity: 0.8 };

  it('moves the centre as CSS moves the box, and multiplies scale, rotation and opacity', () => {
    const e: CanvasEffect = { ...IDENTITY_EFFECT, translateXPx: 7, translateYPx: -3, rotateDeg: 20, scaleX: 1.5, scaleY: 1.5, originX: 0.25, originY: 0.75, opacity: 0.5 };
    const p = composeEffect(pose, e, canvas) as Placement;
    const [x, y] = css(e, pose.centerXPx, pose.centerYPx);
    expect(p.centerXPx).toBeCloseTo(x, 9);
    expect(p.centerYPx).toBeCloseTo(y, 9);
    expect(p).toMatchObject({ scaleX: 0.75, scaleY: 0.75, rotationDeg: 30, opacity: 0.4 });
  });

  it('leaves blur, colour shifts, clips and shears to the browser', () => {
    expect(composeEffect(pose, { ...IDENTITY_EFFECT, blurPx: 2 }, canvas)).toBe('a blurring transition');
    expect(effectNeedsBrowser({ ...IDENTITY_EFFECT, saturate: 2 })).toMatch(/colour/);
    expect(effectNeedsBrowser({ ...IDENTITY_EFFECT, clip: { kind: 'circle', radius: 0.5 } })).toMatch(/wipe/);
    expect(composeEffect(pose, { ...IDENTITY_EFFECT, scaleX: 0.5 }, canvas)).toMatch(/stretching/);
  });
});

describe('a picture in its box', () => {
  const photo = (o: Partial<ImageLayer>): ImageLayer => ({
    kind: 'image', id: 'p', mediaId: 'm', fromFrame: 0, durationFrames: 1, boxPx: { width: 100, height: 100 },
    geometry: { centerXPx: constantTrack(0), centerYPx: constantTrack(0), scaleX: constantTrack(1), scaleY: constantTrack(1), rotationDeg: constantTrack(0), opacity: constantTrack(1), flipX: false, flipY: false },
    ...o,
  });

  it('fills it, or is contain-fitted after its crop', () => {
    expect(pictureRect(photo({}), undefined)).toEqual({ left: 0, top: 0, width: 100, height: 100 });
    expect(pictureRect(photo({ fit: 'contain' }), { widthPx: 200, heightPx: 100 })).toEqual({ left: 0, top: 25, width: 100, height: 50 });
    // The left half of a 200×100 picture is square: it fills the square box.
    expect(pictureRect(photo({ fit: 'contain', crop: { x: 0, y: 0, width: 0.5, height: 1 } }), { widthPx: 200, heightPx: 100 })).toEqual({ left: 0, top: 0, width: 100, height: 100 });
    expect(pictureRect(photo({ fit: 'contain' }), {})).toBeNull();
  });
});

describe('a GIF on the layer frames', () => {
  const delays = [100, 50, 50]; // 200 ms a pass
  it('shows the image whose delay covers the frame time, looping', () => {
    // 30 fps: frames 0–2 (0–67 ms) image 0, 3–4 (100–133 ms) image 1, 5 (167 ms) image 2, 6 (200 ms) image 0 again.
    expect([0, 1, 2, 3, 4, 5, 6].map((f) => gifFrameAt(delays, f, 30))).toEqual([0, 0, 0, 1, 1, 2, 0]);
    expect(gifImageAt(delays, 6, 30)).toEqual({ image: 0, pass: 1 });
  });

  it('lists the occurrences of images from a frame on, each from its first frame', () => {
    // From frame 2: occurrence 0 (image 0) from 0, 1 (image 1) from 1, 2 (image 2) from 3, 3 (image 0 again) from 4.
    expect(gifOccurrences(delays, 2, 5, 30)).toEqual({ first: 0, starts: [0, 1, 3, 4] });
    // At 10 fps image 2 (150–200 ms) falls between frames: it starts with the next shown one.
    expect(gifOccurrences(delays, 0, 3, 10)).toEqual({ first: 0, starts: [0, 1, 2, 2] });
  });
});
