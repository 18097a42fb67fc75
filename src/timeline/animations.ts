/**
 * Intro/outro/loop animations (`materials.material_animations`). Not drawn yet: reported so the
 * caller knows the picture lacks them.
 */
import type { AnimationMaterial } from '../draft/schema';
import type { WarningCode } from './warnings';

export function animationWarnings(
  container: AnimationMaterial,
  warn: (code: WarningCode, message: string) => void,
): void {
  // JianYing attaches an empty container to many segments; only real animations matter.
  if (container.animations.length === 0) return;
  const names = container.animations.map((a) => `${a.name || 'unnamed'} (${a.type || '?'})`);
  warn('animation-skipped', `animations not drawn: ${names.join(', ')}`);
}
