/**
 * The timeline's vocabulary for transitions and animations (re-exported by types.ts): named
 * families with concrete numbers (frames, pixels, degrees), so an engine draws them without
 * knowing any JianYing name. The name tables live in transition-names.ts / animation-names.ts.
 */

/** Direction of MOTION on the canvas, as JianYing names it: 左移 / 向左擦除 = `left`. */
export type Direction = 'left' | 'right' | 'up' | 'down';

export type TransitionKind =
  /** The incoming layer fades in over the outgoing one. */
  | 'crossfade'
  /** Fade to a colour up to the cut, then from it (the picture switches at the cut). */
  | 'flash-white'
  | 'flash-black'
  /** Both blur towards the cut while cross-fading. */
  | 'blur'
  /** Both grow (推近): the outgoing 1 → 2, the incoming 0.5 → 1, cross-fading. */
  | 'zoom-in'
  /** Both shrink (拉远): the outgoing 1 → 0.5, the incoming 2 → 1, cross-fading. */
  | 'zoom-out'
  /** Both move by one canvas in `direction`: the incoming pushes the outgoing out. */
  | 'push'
  /** The incoming moves in over the still outgoing one. */
  | 'slide'
  /** A straight edge moving in `direction` uncovers the incoming. */
  | 'wipe'
  /** A circle growing from the canvas centre uncovers the incoming. */
  | 'circle-reveal'
  /** The outgoing turns away, the incoming turns in and fades up. */
  | 'rotate'
  /** Cross-fade with a colour-saturation pulse (approximation of JianYing's colour dissolve). */
  | 'color-dissolve'
  /** The outgoing folds towards its left edge, uncovering the incoming (flat approximation). */
  | 'page-turn'
  /** Jittered shifts and hue flicker, switching at the cut (approximation). */
  | 'glitch'
  /** The incoming opens from the centre line outwards like a curtain (`axis`). */
  | 'curtain';

/** Optional parameters of a transition family. */
export interface TransitionParams {
  /** push, slide, wipe. */
  direction?: Direction;
  /** curtain: `horizontal` opens to the left and right, `vertical` up and down. */
  axis?: 'horizontal' | 'vertical';
  /** rotate: the turning sense (default clockwise). */
  clockwise?: boolean;
}

export type AnimationFamily =
  | 'fade'
  | 'zoom-in'
  | 'zoom-out'
  | 'slide'
  | 'rotate'
  | 'bounce-in'
  | 'blur'
  // loops
  | 'blink'
  | 'pulse'
  | 'hop'
  | 'spin'
  | 'swing'
  | 'shake';

/**
 * A pose relative to the layer's own geometry; an absent field is the identity. Offsets are canvas
 * pixels (y down) added to the centre, scale multiplies about the layer centre, rotation adds
 * (clockwise), opacity multiplies, blur is a CSS-style blur radius.
 */
export interface AnimationPose {
  opacity?: number;
  scale?: number;
  offsetXPx?: number;
  offsetYPx?: number;
  rotationDeg?: number;
  blurPx?: number;
}

/**
 * `ease-out` decelerates into the layer's own pose (an `out` animation runs it backwards, so it
 * accelerates away); `back-out` overshoots by ~10 % before settling (弹入).
 */
export type AnimationEasing = 'linear' | 'ease-out' | 'back-out';

/**
 * How a loop goes through a cycle: `pingpong` identity → pose → identity (smooth), `ramp`
 * identity → pose then jumps back (a full turn looks continuous), `swing` identity → pose →
 * identity → −pose → identity.
 */
export type LoopWave = 'pingpong' | 'ramp' | 'swing';

export interface LayerAnimation {
  /** JianYing's name, for reports. */
  name: string;
  family: AnimationFamily;
  /** `in` goes from `pose` to the layer's own pose, `out` from it to `pose`; `loop` repeats. */
  phase: 'in' | 'out' | 'loop';
  /** Layer-relative. */
  startFrame: number;
  durationFrames: number;
  pose: AnimationPose;
  easing: AnimationEasing;
  /** Loops: frames per cycle and its shape. */
  periodFrames?: number;
  wave?: LoopWave;
}

/**
 * Text revealed character by character (打字机 typewriter, 逐字显示 one character after another
 * fading in): drawn by the text view; a view that cannot may fall back to fading the layer in.
 */
export interface TextReveal {
  name: string;
  mode: 'typewriter' | 'char-fade';
  /** Layer-relative. */
  startFrame: number;
  durationFrames: number;
}
