/**
 * What a media segment's `extra_material_refs` do to its picture: a mask, filters/effects and
 * adjustments. Canvases are backgrounds (backgrounds.ts) and only count on the main track:
 * elsewhere JianYing ignores them, and so does this timeline, silently.
 */
import type { DraftSegment } from '../draft/schema';
import { extraMaterials } from './extra-materials';
import { FILTER_LISTS, pictureFilters } from './filters';
import type { SizePx } from './geometry';
import { layerMask } from './masks';
import type { MaterialIndex } from './materials';
import { shiftTrack } from './track';
import type { LayerMask, PictureFilter } from './types';
import type { WarningCode } from './warnings';

type Warn = (code: WarningCode, message: string) => void;

/** The material lists this module (and backgrounds.ts) draws or reports for media segments. */
export const PICTURE_LISTS: ReadonlySet<string> = new Set(['canvases', 'masks', ...FILTER_LISTS]);

export interface PictureEffects {
  mask?: LayerMask;
  filters?: PictureFilter[];
}

export function pictureEffects(args: {
  segment: DraftSegment;
  index: MaterialIndex;
  box: SizePx;
  fps: number;
  warn: Warn;
}): PictureEffects {
  const { segment, box, warn } = args;
  const entries = extraMaterials(segment.extra_material_refs, args.index);

  let mask: LayerMask | undefined;
  const masks = entries.filter((e) => e.list === 'masks');
  if (masks.length > 0) mask = layerMask(masks[0].item, box, warn);
  // JianYing keeps one mask per segment; a writer that adds more leaves the rest unused.
  if (masks.length > 1) warn('mask-skipped', `${masks.length - 1} extra mask(s) ignored: one mask per segment`);

  const filters = pictureFilters({ entries, keyframes: segment.common_keyframes, fps: args.fps, box, warn });
  return { ...(mask ? { mask } : {}), ...(filters.length > 0 ? { filters } : {}) };
}

/** Move the layer's filter key frames by `deltaFrames` (its start moved the other way). */
export function shiftPictureTracks(layer: { filters?: PictureFilter[] }, deltaFrames: number): void {
  if (!layer.filters || deltaFrames === 0) return;
  layer.filters = layer.filters.map((f) => ({ ...f, amount: shiftTrack(f.amount, deltaFrames) }));
}
