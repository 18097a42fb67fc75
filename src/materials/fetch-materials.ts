/**
 * Makes every material the timeline uses a local file (draft-format.md §7): caller-supplied
 * overrides first, then the draft's candidates in order (downloads are cached), then probes
 * each file for its size, sound and colour tags.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenVideoError } from '../errors';
import { describeUrl, FetchError, formatBytes, type ResolveHost } from '../net/safe-fetch';
import { checkPictureSize, type DraftLimits } from '../timeline/limits';
import type { MediaRef, Timeline } from '../timeline/types';
import { cachedDownload, forget } from './cache';
import { needsTaggedCopy, taggedCopy, videoColor } from './color-tags';
import { readGifFrameDelaysMs } from './gif';
import { probeMedia, type MediaProbe } from './probe';

export interface FetchMaterialsOptions {
  cacheDir: string;
  allowPrivateNetwork?: boolean;
  /** Exact IPs exempt from the private-address check (downloads and the cache's literal check). */
  allowAddresses?: readonly string[];
  /** CLI only: accept local paths from the draft. */
  allowLocalFiles?: boolean;
  /**
   * Stand-in files, keyed by material id or by a candidate's file name. They come from the
   * operator (CLI `--media`, tests), so local overrides are used even without allowLocalFiles.
   */
  overrides?: Record<string, string>;
  /** Materials handled at once; default 4. */
  concurrency?: number;
  /** Per file; default 120 s. */
  timeoutMs?: number;
  /** A download that moves no byte for this long fails (not retried); default none. */
  stallTimeoutMs?: number;
  /** Per file; default 1 GiB. */
  maxBytes?: number;
  /** Extra attempts after transient failures (network, timeout, 5xx, 429); default 2. */
  retries?: number;
  /** Wait before the first retry, doubling after; default 500 ms. */
  retryDelayMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Replaces DNS (tests); answers still pass the private-address check. */
  resolveHost?: ResolveHost;
  /** Each material downloaded (not a cache hit) or failed to download: for the operator's metrics. */
  onDownload?: (e: { ok: boolean; bytes: number }) => void;
  /** Pictures larger than its maxPictureMegapixels are refused once probed; default DEFAULT_LIMITS. */
  limits?: DraftLimits;
}

export const DEFAULT_MATERIAL_CONCURRENCY = 4;
export const DEFAULT_MATERIAL_TIMEOUT_MS = 120_000;
export const DEFAULT_MATERIAL_MAX_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_MATERIAL_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 500;

const NOT_READABLE = 'not a readable media file';

/** A new timeline whose used media all have `src` = absolute local path (plus probed facts). */
export async function fetchMaterials(timeline: Timeline, opts: FetchMaterialsOptions): Promise<Timeline> {
  const ids = usedMediaIds(timeline);
  const total = ids.length;
  let done = 0;
  opts.onProgress?.(0, total);

  const resolved = await mapWithLimit(ids, opts.concurrency ?? DEFAULT_MATERIAL_CONCURRENCY, opts.signal, async (id, signal) => {
    const ref = timeline.media[id];
    if (!ref) throw new GenVideoError('MATERIAL_UNREACHABLE', `${id}: used by a layer but missing from the media list`);
    const { file, probe, sourceUrl } = await localize(ref, opts, signal);
    if (probe.widthPx && probe.heightPx) checkPictureSize(ref.name || ref.id, probe.widthPx, probe.heightPx, opts.limits);
    // Both engines read colour tags; an untagged video gets them (color-tags.ts).
    const tagged = ref.kind === 'video' && needsTaggedCopy(probe.picture) ? await taggedCopy(file, probe.picture, opts.cacheDir, signal) : undefined;
    done++;
    opts.onProgress?.(done, total);
    const out = withProbe(ref, tagged ?? file, probe, sourceUrl);
    if (ref.kind === 'gif') {
      const delays = await readGifFrameDelaysMs(file);
      if (delays) out.gifFrameDelaysMs = delays;
    }
    return out;
  });

  const media = { ...timeline.media };
  for (const ref of resolved) media[ref.id] = ref;
  return { ...timeline, media };
}

/** Ids of media drawn by a layer or a background or played by an audio clip, first use first. */
export function usedMediaIds(timeline: Timeline): string[] {
  const ids = new Set<string>();
  for (const background of timeline.backgrounds ?? []) if (background.mediaId) ids.add(background.mediaId);
  for (const layer of timeline.layers) if ('mediaId' in layer) ids.add(layer.mediaId);
  for (const clip of timeline.audio) ids.add(clip.mediaId);
  return [...ids];
}

function withProbe(ref: MediaRef, file: string, probe: MediaProbe, sourceUrl: string | undefined): MediaRef {
  const out: MediaRef = { ...ref, src: file };
  if (sourceUrl) out.sourceUrl = sourceUrl;
  else delete out.sourceUrl;
  if ((ref.widthPx === undefined || ref.heightPx === undefined) && probe.widthPx && probe.heightPx) {
    out.widthPx = probe.widthPx;
    out.heightPx = probe.heightPx;
  }
  if (ref.kind === 'video' || ref.kind === 'audio') out.hasAudio = probe.hasAudio;
  if (ref.kind === 'video' && probe.picture) out.color = videoColor(probe.picture);
  return out;
}

interface Attempt {
  where: string;
  reason: string;
}

/**
 * The first location that yields a readable file, or MATERIAL_UNREACHABLE listing every failure.
 * `sourceUrl`: the draft's http(s) URL the file came from (not for local paths or stand-ins).
 */
async function localize(
  ref: MediaRef,
  opts: FetchMaterialsOptions,
  signal: AbortSignal,
): Promise<{ file: string; probe: MediaProbe; sourceUrl?: string }> {
  const failures: Attempt[] = [];
  const tried = new Set<string>();
  const locations = [...overrideLocations(ref, opts.overrides), ...ref.candidates.map((c) => ({ location: c, trusted: false }))];

  for (const { location, trusted } of locations) {
    if (tried.has(location)) continue;
    tried.add(location);
    try {
      const file = await toLocalFile(location, trusted, opts, signal);
      const probe = await probeMedia(file, { signal });
      if (probe) return { file, probe, ...(isHttp(location) && !trusted ? { sourceUrl: location } : {}) };
      if (signal.aborted) throw signal.reason;
      if (isHttp(location)) await forget(file); // perhaps an error page served as 200: fetch afresh next time
      failures.push({ where: location, reason: NOT_READABLE });
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      if (e instanceof FetchError) opts.onDownload?.({ ok: false, bytes: 0 });
      failures.push({ where: location, reason: shortReason(e, opts) });
    }
  }

  const name = ref.name || ref.id;
  if (failures.length === 0) throw new GenVideoError('MATERIAL_UNREACHABLE', `${name}: the draft gives no location for this file`);
  const detail = failures.map((f) => `${f.reason} (${describeLocation(f.where)})`).join('; ');
  throw new GenVideoError('MATERIAL_UNREACHABLE', `${name}: ${detail}`);
}

function overrideLocations(ref: MediaRef, overrides: Record<string, string> | undefined): Array<{ location: string; trusted: boolean }> {
  if (!overrides) return [];
  const keys = [ref.id, ...ref.candidates.map(baseName), ref.name].filter(Boolean);
  const found: Array<{ location: string; trusted: boolean }> = [];
  for (const key of keys) {
    const value = overrides[key];
    if (value) found.push({ location: value, trusted: true });
  }
  return found;
}

/** Last path segment of a URL or a POSIX/Windows path, percent-decoded for URLs. */
export function baseName(location: string): string {
  if (isHttp(location) || location.startsWith('file://')) {
    try {
      return decodeURIComponent(new URL(location).pathname.split('/').pop() ?? '');
    } catch {
      // fall through to the plain split
    }
  }
  return location.split(/[\\/]/).pop() ?? '';
}

async function toLocalFile(location: string, trusted: boolean, opts: FetchMaterialsOptions, signal: AbortSignal): Promise<string> {
  if (isHttp(location)) {
    return cachedDownload(location, opts.cacheDir, {
      timeoutMs: opts.timeoutMs ?? DEFAULT_MATERIAL_TIMEOUT_MS,
      stallTimeoutMs: opts.stallTimeoutMs,
      maxBytes: opts.maxBytes ?? DEFAULT_MATERIAL_MAX_BYTES,
      allowPrivateNetwork: opts.allowPrivateNetwork,
      allowAddresses: opts.allowAddresses,
      resolveHost: opts.resolveHost,
      retries: opts.retries ?? DEFAULT_MATERIAL_RETRIES,
      retryDelayMs: opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
      signal,
      onTransfer: (bytes) => opts.onDownload?.({ ok: true, bytes }),
    });
  }
  if (!trusted && !opts.allowLocalFiles) throw new LocationError('local files are not allowed');
  // Operator-given paths may be relative to the working directory; the draft's may not.
  const file = localPath(location) ?? (trusted ? path.resolve(location) : undefined);
  if (!file) throw new LocationError('not a URL or an absolute path');
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new LocationError('file not found');
  if (!info.isFile()) throw new LocationError('not a file');
  return file;
}

function localPath(location: string): string | undefined {
  if (location.startsWith('file://')) {
    try {
      return fileURLToPath(location);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(location) ? path.resolve(location) : undefined;
}

class LocationError extends Error {}

function shortReason(e: unknown, opts: FetchMaterialsOptions): string {
  if (e instanceof LocationError) return e.message;
  if (e instanceof FetchError) {
    switch (e.kind) {
      case 'http-status':
        return e.status !== undefined && e.status >= 300 && e.status < 400 ? e.message : `HTTP ${e.status}`;
      case 'private-address':
        return 'private network address refused';
      case 'too-large':
        return `larger than ${formatBytes(opts.maxBytes ?? DEFAULT_MATERIAL_MAX_BYTES)}`;
      default:
        return e.message;
    }
  }
  return e instanceof Error ? e.message : String(e);
}

function describeLocation(location: string): string {
  return isHttp(location) ? describeUrl(location) : location.length > 100 ? `…${location.slice(-99)}` : location;
}

const isHttp = (location: string) => /^https?:\/\//i.test(location);

/**
 * Runs `work` over `items`, at most `limit` at once. On the first failure it stops starting new
 * items, aborts the running ones (their downloads clean up after themselves), waits for them to
 * settle, and throws that first failure — or the caller's abort reason.
 */
async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  outer: AbortSignal | undefined,
  work: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) throw outer.reason;
  outer?.addEventListener('abort', onOuterAbort, { once: true });

  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && !controller.signal.aborted && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index], controller.signal);
      } catch (error) {
        if (!failure) {
          failure = { error };
          controller.abort(error);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
  if (outer?.aborted) throw outer.reason;
  if (failure) throw failure.error;
  return results;
}
