/**
 * Materials (draft-format.md §7): lookup by id across every `materials.*` list, and where a
 * media file can be had (`MediaRef.candidates`, best first).
 */
import type {
  AnimationMaterial,
  AudioFadeMaterial,
  AudioMaterial,
  CanvasMaterial,
  DraftMaterials,
  SpeedMaterial,
  TextMaterial,
  TransitionMaterial,
  VideoMaterial,
} from '../draft/schema';
import type { DraftContext } from '../draft/types';
import type { MediaKind, MediaRef } from './types';

/** The material lists the schema types; every other list's items are untyped. */
export interface TypedMaterialLists {
  videos: VideoMaterial;
  audios: AudioMaterial;
  texts: TextMaterial;
  audio_fades: AudioFadeMaterial;
  transitions: TransitionMaterial;
  material_animations: AnimationMaterial;
  canvases: CanvasMaterial;
  speeds: SpeedMaterial;
}

export interface MaterialEntry {
  /** The `materials.*` list the material sits in (`videos`, `masks`, …). */
  list: string;
  item: Record<string, unknown> & { id: string };
}

/** The entry's material typed as its list's, or undefined when it sits in another list. */
export function materialIn<L extends keyof TypedMaterialLists>(
  entry: MaterialEntry | undefined,
  list: L,
): TypedMaterialLists[L] | undefined {
  return entry?.list === list ? (entry.item as TypedMaterialLists[L]) : undefined;
}

export type MaterialIndex = Map<string, MaterialEntry>;

/** Every material of every list by id; the first one wins if a writer repeats an id. */
export function indexMaterials(materials: DraftMaterials): MaterialIndex {
  const index: MaterialIndex = new Map();
  for (const [list, items] of Object.entries(materials)) {
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      if (typeof item !== 'object' || item === null) continue;
      const rawId = (item as { id?: unknown }).id;
      if (typeof rawId !== 'string' && typeof rawId !== 'number') continue;
      const id = String(rawId);
      if (id === '' || index.has(id)) continue;
      index.set(id, { list, item: { ...(item as Record<string, unknown>), id } });
    }
  }
  return index;
}

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|bmp|heic|tiff?)$/i;

const fileName = (p: string) => p.split(/[\\/]/).pop() ?? '';

function extensionSource(m: VideoMaterial): string {
  // `material_name` carries the extension when `path` is an extension-less URL.
  return `${m.path.split(/[?#]/)[0]} ${m.material_name ?? ''}`.toLowerCase();
}

/** photo type → photo; a .gif → gif; an image file typed "video" → photo; other videos → video. */
export function videoMaterialKind(m: VideoMaterial): MediaKind {
  if (m.type === 'photo') return 'photo';
  const names = extensionSource(m).split(' ');
  if (names.some((n) => n.endsWith('.gif'))) return 'gif';
  if (names.some((n) => IMAGE_EXTENSIONS.test(n))) return 'photo';
  return 'video';
}

export function mediaRefForVideo(m: VideoMaterial, ctx: DraftContext): MediaRef {
  return {
    id: m.id,
    kind: videoMaterialKind(m),
    name: m.material_name || m.name || fileName(m.path) || m.id,
    candidates: mediaCandidates(m.path, m.remote_url, ctx),
    ...(m.width && m.width > 0 ? { widthPx: m.width } : {}),
    ...(m.height && m.height > 0 ? { heightPx: m.height } : {}),
    ...(m.has_audio !== undefined ? { hasAudio: m.has_audio } : {}),
  };
}

export function mediaRefForAudio(m: AudioMaterial, ctx: DraftContext): MediaRef {
  return {
    id: m.id,
    kind: 'audio',
    name: m.name || fileName(m.path) || m.id,
    candidates: mediaCandidates(m.path, m.remote_url, ctx),
    hasAudio: true,
  };
}

const HTTP = /^https?:\/\//i;
const WINDOWS = /^([a-z]:[\\/]|\\\\)/i;
const PLACEHOLDER = /^##_draftpath_placeholder_[^#]*_##[\\/]*/;

/**
 * Where a material file can be had, best first:
 * 1. `remote_url`; 2. an http(s) `path`; 3. capcut-mate: files of the draft folder matched by the
 * path's trailing `assets/...` part, else by file name; 4. local: an absolute path as is, a
 * placeholder or relative path resolved against the draft folder (`localDir`) or the draft's URL;
 * a Windows path kept as given (a later step may map it by file name).
 */
export function mediaCandidates(
  path: string,
  remoteUrl: string | undefined,
  ctx: DraftContext,
): string[] {
  const out: string[] = [];
  if (remoteUrl && HTTP.test(remoteUrl)) out.push(remoteUrl);
  if (!path) return dedupe(out);
  if (HTTP.test(path)) {
    out.push(path);
    return dedupe(out);
  }
  out.push(...matchDraftFiles(path, ctx.fileUrls ?? []));

  if (WINDOWS.test(path)) {
    out.push(path);
  } else if (path.startsWith('/') || /^file:/i.test(path)) {
    out.push(path);
  } else {
    const rest = path.replace(PLACEHOLDER, '').replace(/\\/g, '/').replace(/^\.\//, '');
    if (ctx.localDir) out.push(joinLocal(ctx.localDir, rest));
    if (ctx.draftUrl && HTTP.test(ctx.draftUrl)) {
      try {
        out.push(new URL(rest, ctx.draftUrl).href);
      } catch {
        // an unparsable draft URL leaves only the other candidates
      }
    }
    if (!ctx.localDir && !ctx.draftUrl) out.push(rest);
  }
  return dedupe(out);
}

/** capcut-mate lists the draft folder's files as URLs; match `…/assets/x.png` or `x.png`. */
function matchDraftFiles(path: string, fileUrls: string[]): string[] {
  if (fileUrls.length === 0) return [];
  const normal = path.replace(/\\/g, '/');
  const at = normal.lastIndexOf('/assets/');
  const tail = normal.startsWith('assets/') ? normal : at >= 0 ? normal.slice(at + 1) : null;
  const name = fileName(normal);
  const files = fileUrls.map((url) => ({ url, path: urlPath(url) }));
  const byTail = tail ? files.filter((f) => f.path === tail || f.path.endsWith(`/${tail}`)) : [];
  const byName = files.filter((f) => name !== '' && fileName(f.path) === name);
  return [...byTail, ...byName].map((f) => f.url);
}

function urlPath(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return url.split(/[?#]/)[0];
  }
}

function joinLocal(dir: string, rest: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${rest.replace(/^[\\/]+/, '')}`;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
