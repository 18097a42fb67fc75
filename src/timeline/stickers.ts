/**
 * Stickers (`materials.stickers[]` on a `sticker` track). JianYing draws them from its own sticker
 * library (`resource_id`/`sticker_id`, a local cache `path`); a draft carries at most a picture URL:
 * an http(s) `path`, the `preview_cover_url` or the smaller `icon_url`. With one, the sticker is
 * drawn as a still picture (animated stickers stay on their cover frame); without, it is skipped.
 */
import type { MediaRef } from './types';

const HTTP = /^https?:\/\//i;

/** Where a sticker picture can be had, best first. */
export function stickerUrls(item: Record<string, unknown>): string[] {
  const urls = [item.path, item.preview_cover_url, item.icon_url]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter((v) => HTTP.test(v));
  return [...new Set(urls)];
}

/** The sticker's picture as a photo to download; null when the draft gives no URL. */
export function stickerMedia(item: Record<string, unknown> & { id: string }): MediaRef | null {
  const candidates = stickerUrls(item);
  if (candidates.length === 0) return null;
  const name = String(item.name || item.sticker_id || item.resource_id || item.id);
  const [width, height] = Array.isArray(item.original_size) ? item.original_size : [];
  return {
    id: item.id,
    kind: 'photo',
    name: `sticker ${name}`,
    candidates,
    ...(typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0
      ? { widthPx: width, heightPx: height }
      : {}),
  };
}
