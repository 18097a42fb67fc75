/**
 * JianYing animation names → poses the timeline can draw.
 *
 * Names come from pyJianYingDraft's metadata (`IntroType`, `OutroType`, `GroupAnimationType`,
 * `TextIntro`, `TextOutro`, `TextLoopAnim`: the names JianYing writes into
 * `material_animations[].animations[].name`) plus common spellings (淡入/淡出, 左滑…).
 * Directions are directions of motion: 向左滑动 moves left (an intro enters from the right).
 *
 * JianYing does not publish its curves: the amplitudes below (full-canvas slides for pictures,
 * 10 % of the canvas with a fade for text, zoom from 0 / 2×, half-turn rotations, ~10 % overshoot
 * for 弹入, loop periods) are chosen to look like JianYing's, not measured from it.
 */
import type { AnimationEasing, AnimationFamily, AnimationPose, Direction, LoopWave } from './effect-types';
import { nameLookup } from './effect-names';

export interface PoseContext {
  phase: 'in' | 'out';
  canvas: { width: number; height: number };
  isText: boolean;
}

export interface MotionSpec {
  family: AnimationFamily;
  easing: AnimationEasing;
  /** The pose away from the layer's own (where an intro starts, an outro ends). */
  pose: (ctx: PoseContext) => AnimationPose;
  approximate?: string;
}

export interface LoopSpec {
  family: AnimationFamily;
  wave: LoopWave;
  periodSec: number;
  pose: (canvas: { width: number; height: number }) => AnimationPose;
  approximate?: string;
}

export type RevealSpec = { reveal: 'typewriter' | 'char-fade'; approximate?: string };

const UNIT: Record<Direction, [number, number]> = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] };

const fade: MotionSpec = { family: 'fade', easing: 'linear', pose: () => ({ opacity: 0 }) };

/** Pictures slide in from off the canvas; text moves a short way and fades. */
const slide = (direction: Direction): MotionSpec => ({
  family: 'slide',
  easing: 'ease-out',
  pose: ({ phase, canvas, isText }) => {
    const [ux, uy] = UNIT[direction];
    // An intro starts behind (against the motion), an outro ends ahead.
    const sign = phase === 'in' ? -1 : 1;
    const share = isText ? 0.1 : 1;
    return {
      offsetXPx: sign * ux * canvas.width * share || 0,
      offsetYPx: sign * uy * canvas.height * share || 0,
      ...(isText ? { opacity: 0 } : {}),
    };
  },
});

const zoom = (family: 'zoom-in' | 'zoom-out', scale: number, withFade = false): MotionSpec => ({
  family,
  easing: 'ease-out',
  pose: () => ({ scale, ...(withFade ? { opacity: 0 } : {}) }),
});

/** 放大 grows: an intro from a point, an outro to twice the size while fading. */
const grow: MotionSpec = {
  family: 'zoom-in',
  easing: 'ease-out',
  pose: ({ phase }) => (phase === 'in' ? { scale: 0 } : { scale: 2, opacity: 0 }),
};
/** 缩小 shrinks: an intro from twice the size while fading in, an outro to a point. */
const shrink: MotionSpec = {
  family: 'zoom-out',
  easing: 'ease-out',
  pose: ({ phase }) => (phase === 'in' ? { scale: 2, opacity: 0 } : { scale: 0 }),
};
const slightGrow: MotionSpec = {
  family: 'zoom-in',
  easing: 'ease-out',
  pose: ({ phase }) => ({ scale: phase === 'in' ? 0.8 : 1.2, opacity: 0 }),
};

/** Half a turn clockwise while growing from / shrinking to a point. */
const rotate: MotionSpec = {
  family: 'rotate',
  easing: 'ease-out',
  pose: ({ phase }) => ({ rotationDeg: phase === 'in' ? -180 : 180, scale: 0 }),
};

const bounceIn: MotionSpec = { family: 'bounce-in', easing: 'back-out', pose: () => ({ scale: 0 }) };

const blur: MotionSpec = {
  family: 'blur',
  easing: 'linear',
  pose: ({ canvas }) => ({ blurPx: canvas.width * 0.02, opacity: 0 }),
};

/** Intros of pictures and text (JianYing uses the same names for both where they exist). */
const IN: Record<string, MotionSpec | RevealSpec> = {
  渐显: fade,
  淡入: fade,
  渐入: fade,
  放大: grow,
  缩小: shrink,
  轻微放大: slightGrow,
  动感放大: zoom('zoom-in', 0.5),
  动感缩小: zoom('zoom-out', 1.5),
  向左滑动: slide('left'),
  向右滑动: slide('right'),
  向上滑动: slide('up'),
  向下滑动: slide('down'),
  左滑: slide('left'),
  右滑: slide('right'),
  上滑: slide('up'),
  下滑: slide('down'),
  向左甩入: { ...slide('left'), approximate: 'drawn as a slide' },
  向右甩入: { ...slide('right'), approximate: 'drawn as a slide' },
  向下甩入: { ...slide('down'), approximate: 'drawn as a slide' },
  向下飞入: slide('down'),
  旋转: rotate,
  旋入: rotate,
  弹入: bounceIn,
  向上弹入: { ...bounceIn, approximate: 'drawn as a bounce in place' },
  模糊: blur,
  // Text only.
  打字机: { reveal: 'typewriter' },
  复古打字机: { reveal: 'typewriter' },
  故障打字机: { reveal: 'typewriter', approximate: 'typed without the glitch' },
  居中打字: { reveal: 'typewriter' },
  打字光标: { reveal: 'typewriter', approximate: 'typed without the cursor' },
  新年打字机: { reveal: 'typewriter' },
  逐字显示: { reveal: 'char-fade' },
  逐字显影: { reveal: 'char-fade' },
  逐字出现: { reveal: 'char-fade' },
};

const OUT: Record<string, MotionSpec | RevealSpec> = {
  渐隐: fade,
  淡出: fade,
  渐出: fade,
  放大: grow,
  缩小: shrink,
  轻微放大: slightGrow,
  向左滑动: slide('left'),
  向右滑动: slide('right'),
  向上滑动: slide('up'),
  向下滑动: slide('down'),
  左滑: slide('left'),
  右滑: slide('right'),
  上滑: slide('up'),
  下滑: slide('down'),
  旋转: rotate,
  旋出: rotate,
  模糊: blur,
};

const LOOP: Record<string, LoopSpec> = {
  闪烁: { family: 'blink', wave: 'pingpong', periodSec: 0.5, pose: () => ({ opacity: 0 }) },
  跳动: { family: 'hop', wave: 'pingpong', periodSec: 0.5, pose: (c) => ({ offsetYPx: -0.05 * c.height }) },
  轻微跳动: { family: 'hop', wave: 'pingpong', periodSec: 0.5, pose: (c) => ({ offsetYPx: -0.02 * c.height }) },
  漂浮: { family: 'hop', wave: 'pingpong', periodSec: 1.5, pose: (c) => ({ offsetYPx: -0.03 * c.height }) },
  心跳: { family: 'pulse', wave: 'pingpong', periodSec: 0.75, pose: () => ({ scale: 1.15 }) },
  放大缩小: { family: 'pulse', wave: 'pingpong', periodSec: 0.5, pose: () => ({ scale: 1.15 }) },
  悸动: { family: 'pulse', wave: 'pingpong', periodSec: 0.6, pose: () => ({ scale: 1.1 }) },
  旋转: { family: 'spin', wave: 'ramp', periodSec: 1, pose: () => ({ rotationDeg: 360 }) },
  摇摆: { family: 'swing', wave: 'swing', periodSec: 1, pose: () => ({ rotationDeg: 15 }) },
  钟摆: { family: 'swing', wave: 'swing', periodSec: 1, pose: () => ({ rotationDeg: 20 }) },
  摇荡: { family: 'swing', wave: 'swing', periodSec: 1.2, pose: () => ({ rotationDeg: 10 }) },
  雨刷: { family: 'swing', wave: 'swing', periodSec: 1, pose: () => ({ rotationDeg: 30 }) },
  晃动: { family: 'shake', wave: 'swing', periodSec: 0.25, pose: (c) => ({ offsetXPx: 0.02 * c.width }) },
  颤抖: { family: 'shake', wave: 'swing', periodSec: 0.1, pose: (c) => ({ offsetXPx: 0.01 * c.width }) },
  超强晃动: { family: 'shake', wave: 'swing', periodSec: 0.2, pose: (c) => ({ offsetXPx: 0.04 * c.width }) },
};

/** Group (组合) animations play over the whole window: drawn as an intro over its first half and an outro over its second. */
const GROUP: Record<string, { in: MotionSpec; out: MotionSpec }> = {
  缩放: { in: grow, out: shrink },
  旋转缩小: { in: rotate, out: shrink },
  缩小旋转: { in: shrink, out: rotate },
  旋转降落: { in: rotate, out: slide('down') },
  降落旋转: { in: slide('down'), out: rotate },
  左拉镜: { in: slide('left'), out: slide('left') },
  右拉镜: { in: slide('right'), out: slide('right') },
  向左缩小: { in: grow, out: slide('left') },
  向右缩小: { in: grow, out: slide('right') },
  旋出渐隐: { in: fade, out: rotate },
};

export const lookupIntro = nameLookup(IN);
export const lookupOutro = nameLookup(OUT);
export const lookupLoop = nameLookup(LOOP);
export const lookupGroup = nameLookup(GROUP);

export const isReveal = (spec: MotionSpec | RevealSpec): spec is RevealSpec => 'reveal' in spec;

export { fade as FADE };

/** Every mapped name by phase (for tests and docs). */
export const ANIMATION_NAMES = {
  in: Object.keys(IN),
  out: Object.keys(OUT),
  loop: Object.keys(LOOP),
  group: Object.keys(GROUP),
} as const;
