/**
 * A segment's `extra_material_refs`: the materials that modify it. Transitions and audio fades are
 * used elsewhere (transitions.ts, audio.ts); the rest are not drawn yet and are reported here.
 * Ids that resolve to nothing are skipped silently: some writers leave them behind.
 */
import { animationWarnings } from './animations';
import { isBlackOrClear, parseHexColor } from './color';
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

/** Report every referenced material this timeline does not draw. */
export function extraMaterialWarnings(refs: string[], index: MaterialIndex, warn: Warn): void {
  for (const entry of extraMaterials(refs, index)) {
    const item = entry.item as Record<string, unknown>;
    switch (entry.list) {
      case 'material_animations':
        animationWarnings(materialIn(entry, 'material_animations')!, warn);
        break;
      case 'canvases': {
        const canvas = materialIn(entry, 'canvases')!;
        if (!isDefaultCanvas(canvas)) warn('canvas-skipped', `background ${canvas.type} not drawn (black instead)`);
        break;
      }
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
      case 'speeds': {
        const curve = item.curve_speed;
        if (curve !== null && curve !== undefined) {
          warn('speed-curve-skipped', 'speed curve (curve_speed) played at the segment speed');
        }
        break;
      }
      case 'drafts':
        warn('compound-skipped', 'compound clip: drawn from its rendered material, inner draft ignored');
        break;
      default:
        break;
    }
  }
}

/** `none`, an empty colour or black is JianYing's default background: nothing to report. */
function isDefaultCanvas(canvas: TypedMaterialLists['canvases']): boolean {
  if (canvas.type === '' || canvas.type === 'none') return true;
  if (canvas.type !== 'canvas_color') return false;
  const color = parseHexColor(canvas.color);
  return color === null || isBlackOrClear(color);
}
