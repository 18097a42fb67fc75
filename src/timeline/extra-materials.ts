/**
 * A segment's `extra_material_refs`: the materials that modify it. Transitions, audio fades and
 * speeds are used elsewhere (transitions.ts, audio.ts, segment-speed.ts), so are a media
 * segment's canvas, mask and filters (picture-effects.ts, backgrounds.ts); the rest are not drawn
 * yet and are reported here.
 * Ids that resolve to nothing are skipped silently: some writers leave them behind.
 */
import { materialIn, type MaterialEntry, type MaterialIndex, type TypedMaterialLists } from './materials';
import type { WarningCode } from './warnings';

type Warn = (code: WarningCode, message: string) => void;

export function extraMaterials(refs: string[], index: MaterialIndex): MaterialEntry[] {
  return refs.map((id) => index.get(id)).filter((e): e is MaterialEntry => e !== undefined);
}

/** The first referenced material of one (typed) list, e.g. the segment's transition. */
export function findExtra<L extends keyof TypedMaterialLists>(
  refs: string[],
  index: MaterialIndex,
  list: L,
): TypedMaterialLists[L] | undefined {
  for (const entry of extraMaterials(refs, index)) {
    const item = materialIn(entry, list);
    if (item) return item;
  }
  return undefined;
}

const label = (item: Record<string, unknown>) =>
  String(item.name || item.effect_name || item.resource_id || item.effect_id || item.type || item.id);

const NO_LISTS: ReadonlySet<string> = new Set();

/** Report every referenced material this timeline does not draw; `handledLists` are reported by their own module. */
export function extraMaterialWarnings(
  refs: string[],
  index: MaterialIndex,
  warn: Warn,
  handledLists: ReadonlySet<string> = NO_LISTS,
): void {
  for (const entry of extraMaterials(refs, index)) {
    if (handledLists.has(entry.list)) continue;
    const item = entry.item as Record<string, unknown>;
    switch (entry.list) {
      case 'material_animations':
        break; // drawn and reported by animations.ts
      case 'canvases':
        break; // JianYing draws canvases only behind main-track media (backgrounds.ts)
      case 'masks':
        warn('mask-skipped', `mask "${label(item)}" not applied`);
        break;
      case 'filters':
        warn('filter-skipped', `filter "${label(item)}" not applied`);
        break;
      case 'effects':
      case 'video_effects':
        if (item.type === 'filter') warn('filter-skipped', `filter "${label(item)}" not applied`);
        else warn('effect-skipped', `effect "${label(item)}" not applied`);
        break;
      case 'chromas':
        warn('chroma-skipped', 'chroma key not applied');
        break;
      case 'audio_effects':
        warn('audio-effect-skipped', `audio effect "${label(item)}" not applied`);
        break;
      case 'speeds':
        break; // speed curves are played (segment-speed.ts)
      case 'drafts':
        warn('compound-skipped', 'compound clip: drawn from its rendered material, inner draft ignored');
        break;
      default:
        break;
    }
  }
}
