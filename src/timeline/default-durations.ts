/**
 * How long JianYing makes a transition or an intro/outro when the app adds one (draft-format.md
 * §12): used for a draft that stores none (a duration of 0 or missing, from other writers).
 */

const SECOND_US = 1_000_000;

/** Transitions by name; others get the most common length, 0.5 s. */
const TRANSITION_US: Record<string, number> = {
  叠化: 500_000,
  闪白: 500_000,
  闪黑: 500_000,
  模糊: 500_000,
  推近: SECOND_US,
  拉远: SECOND_US,
  左移: SECOND_US,
  右移: SECOND_US,
};

/** Intros and outros by name; others get 0.5 s like most of them. */
const ANIMATION_US: Record<string, number> = {
  渐显: 500_000,
  渐隐: 500_000,
  放大: 500_000,
  缩小: 500_000,
  向左滑动: 500_000,
  斜切: 700_000,
};

const FALLBACK_US = 500_000;

export const defaultTransitionUs = (name: string): number => TRANSITION_US[name.trim()] ?? FALLBACK_US;
export const defaultAnimationUs = (name: string): number => ANIMATION_US[name.trim()] ?? FALLBACK_US;
