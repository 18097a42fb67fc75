/**
 * JianYing transition names → what the timeline draws.
 *
 * Names come from pyJianYingDraft's `TransitionType` (metadata/transition_meta.py, the names JianYing
 * writes into `materials.transitions[].name`) plus common spellings used by other writers and in
 * docs (左滑, 白色闪光, 黑场…). Directions are directions of motion, as JianYing names them:
 * 左移 = the picture moves left (the incoming enters from the right); 向左擦除 = the wipe edge moves
 * left (the incoming appears at the right edge first).
 *
 * `approximate` says why a name is drawn only roughly; it is reported as `transition-approximated`.
 * Unknown names are cross-fades, also reported.
 */
import type { Direction, TransitionKind, TransitionParams } from './effect-types';
import { nameLookup } from './effect-names';

export interface TransitionSpec extends TransitionParams {
  kind: TransitionKind;
  /** Set when the drawing is a rough stand-in for JianYing's: the reason, for the warning. */
  approximate?: string;
}

const push = (direction: Direction): TransitionSpec => ({ kind: 'push', direction });
const slide = (direction: Direction): TransitionSpec => ({ kind: 'slide', direction });
const wipe = (direction: Direction): TransitionSpec => ({ kind: 'wipe', direction });

const TABLE: Record<string, TransitionSpec> = {
  // Dissolves.
  叠化: { kind: 'crossfade' },
  溶解: { kind: 'crossfade' },
  交叉溶解: { kind: 'crossfade' },
  淡入淡出: { kind: 'crossfade' },
  叠加: { kind: 'crossfade', approximate: 'drawn as a cross-fade' },
  色彩溶解: { kind: 'color-dissolve', approximate: 'drawn as a cross-fade with a saturation pulse' },

  // Flashes through a colour.
  闪白: { kind: 'flash-white' },
  白色闪光: { kind: 'flash-white' },
  白闪: { kind: 'flash-white' },
  白光快闪: { kind: 'flash-white' },
  泛白: { kind: 'flash-white' },
  泛光: { kind: 'flash-white', approximate: 'the glow is drawn as a flash to white' },
  爆闪: { kind: 'flash-white', approximate: 'the strobe is drawn as one flash to white' },
  闪黑: { kind: 'flash-black' },
  黑色闪光: { kind: 'flash-black' },
  黑闪: { kind: 'flash-black' },
  黑场: { kind: 'flash-black' },
  黑场过渡: { kind: 'flash-black' },

  模糊: { kind: 'blur' },
  模糊过渡: { kind: 'blur' },

  // Zooms.
  推近: { kind: 'zoom-in' },
  拉近: { kind: 'zoom-in' },
  放大: { kind: 'zoom-in' },
  拉远: { kind: 'zoom-out' },
  推远: { kind: 'zoom-out' },
  缩小: { kind: 'zoom-out' },

  // The whole picture moves: the incoming pushes the outgoing out.
  左移: push('left'),
  右移: push('right'),
  上移: push('up'),
  下移: push('down'),
  向左推: push('left'),
  向右推: push('right'),
  向上推: push('up'),
  向下推: push('down'),

  // The incoming slides in over the outgoing.
  向左: slide('left'),
  向右: slide('right'),
  向上: slide('up'),
  向下: slide('down'),
  向左滑动: slide('left'),
  向右滑动: slide('right'),
  向上滑动: slide('up'),
  向下滑动: slide('down'),
  左滑: slide('left'),
  右滑: slide('right'),
  上滑: slide('up'),
  下滑: slide('down'),
  滑动: slide('left'),

  向左擦除: wipe('left'),
  向右擦除: wipe('right'),
  向上擦除: wipe('up'),
  向下擦除: wipe('down'),
  擦除: wipe('right'),
  渐变擦除: { ...wipe('right'), approximate: 'drawn as a hard-edged wipe' },

  圆形遮罩: { kind: 'circle-reveal' },
  圆形擦除: { kind: 'circle-reveal' },
  圆形: { kind: 'circle-reveal' },

  旋转: { kind: 'rotate', clockwise: true },
  中心旋转: { kind: 'rotate', clockwise: true },
  顺时针旋转: { kind: 'rotate', clockwise: true },
  逆时针旋转: { kind: 'rotate', clockwise: false },

  翻页: { kind: 'page-turn', approximate: 'the page curl is drawn as a flat fold' },
  翻篇: { kind: 'page-turn', approximate: 'the page curl is drawn as a flat fold' },

  故障: { kind: 'glitch', approximate: 'drawn as jittered shifts with hue flicker' },
  信号故障: { kind: 'glitch', approximate: 'drawn as jittered shifts with hue flicker' },
  电视故障: { kind: 'glitch', approximate: 'drawn as jittered shifts with hue flicker' },
  雪花故障: { kind: 'glitch', approximate: 'drawn as jittered shifts with hue flicker, without snow' },
  故障转场: { kind: 'glitch', approximate: 'drawn as jittered shifts with hue flicker' },

  横向拉幕: { kind: 'curtain', axis: 'horizontal' },
  竖向拉幕: { kind: 'curtain', axis: 'vertical' },
  拉幕: { kind: 'curtain', axis: 'horizontal' },
  开幕: { kind: 'curtain', axis: 'horizontal' },
};

const byName = nameLookup(TABLE);

/**
 * The spec of a transition name, or null when unknown. A numbered variant (`闪白 II`) of a known
 * name is drawn like its base and reported as approximated.
 */
export function lookupTransition(name: string): TransitionSpec | null {
  const match = byName(name);
  if (!match) return null;
  if (!match.variantOf || match.spec.approximate) return match.spec;
  return { ...match.spec, approximate: `variant drawn like "${match.variantOf}"` };
}

/** Every mapped name (for tests and docs). */
export const TRANSITION_NAMES: readonly string[] = Object.keys(TABLE);
