/**
 * Everything a render needs to know about the machine and the operator's choices, built once by
 * the entry point (the server's config, the CLI, a test) and passed down: nothing below reads
 * the environment, so a worker can differ from an API node and a test changes one value.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_LIMITS, type DraftLimits } from '../timeline/limits';
import type { RenderEngine } from './engine';

export interface EncodeSettings {
  crf: number;
  x264Preset: 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium';
  /** Browser tabs rendering frames in parallel. */
  concurrency: number;
  jpegQuality: number;
}

export const DEFAULT_ENCODE: EncodeSettings = {
  crf: 20,
  x264Preset: 'veryfast',
  concurrency: 2,
  jpegQuality: 90,
};

/** How materials are downloaded (draft-format.md §7: they come from anywhere on the internet). */
export interface DownloadSettings {
  /** Materials of one draft fetched at once. */
  concurrency: number;
  /** Whole transfer of one file. */
  timeoutMs: number;
  /** A transfer that moves no byte for this long is given up (a server trickling 1 byte/s). */
  stallTimeoutMs: number;
  maxBytes: number;
  /** Extra attempts after a transient failure. */
  retries: number;
}

export const DEFAULT_DOWNLOADS: DownloadSettings = {
  concurrency: 4,
  timeoutMs: 120_000,
  stallTimeoutMs: 20_000,
  maxBytes: 1024 * 1024 * 1024,
  retries: 2,
};

export interface NetworkPolicy {
  /** Allow drafts and materials on loopback/private/link-local addresses. */
  allowPrivateNetwork: boolean;
  /** Exact IPs exempt from the private-address check. */
  allowAddresses: readonly string[];
}

export interface RenderSettings {
  engine: RenderEngine;
  /** Debian's ffmpeg (compositor, sound mix, joins); null: none, Remotion draws and mixes everything. */
  ffmpegPath: string | null;
  /** The headless Chromium Remotion drives; null: none found (a render that needs it says how to get one). */
  browserExecutable: string | null;
  /** The compositor draws longer videos in chunks of this length. */
  chunkSeconds: number;
  /** Remotion company licence key (usage is reported to Remotion only with one). */
  remotionLicenseKey: string | null;
  /** Temp files and browser profiles: ours alone, emptied of orphans at start. */
  workDir: string;
  /** Material downloads, kept across renders. */
  cacheDir: string;
  /** Keep the compositor's graphs and stills in workDir (debugging). */
  keepWorkFiles: boolean;
  encode: EncodeSettings;
  limits: DraftLimits;
  network: NetworkPolicy;
  downloads: DownloadSettings;
}

export interface RenderSettingsInput {
  /** workDir and cacheDir go under it unless given. */
  dataDir: string;
  engine?: RenderEngine;
  /** An explicit ffmpeg (FFMPEG_PATH); one that does not exist means none. */
  ffmpegPath?: string;
  browserExecutable?: string;
  chunkSeconds?: number;
  remotionLicenseKey?: string;
  keepWorkFiles?: boolean;
  encode?: Partial<EncodeSettings>;
  limits?: Partial<DraftLimits>;
  allowPrivateNetwork?: boolean;
  allowAddresses?: readonly string[];
  downloads?: Partial<DownloadSettings>;
  workDir?: string;
  cacheDir?: string;
}

const FFMPEG_CANDIDATES = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'];
const BROWSER_CANDIDATES = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

/** The settings with every default filled in; binaries are looked for where Debian puts them. */
export function renderSettings(o: RenderSettingsInput): RenderSettings {
  const dataDir = path.resolve(o.dataDir);
  return {
    engine: o.engine ?? 'auto',
    ffmpegPath: o.ffmpegPath !== undefined ? (existsSync(o.ffmpegPath) ? o.ffmpegPath : null) : (FFMPEG_CANDIDATES.find((p) => existsSync(p)) ?? null),
    browserExecutable: o.browserExecutable ?? BROWSER_CANDIDATES.find((p) => existsSync(p)) ?? null,
    chunkSeconds: o.chunkSeconds && o.chunkSeconds > 0 ? o.chunkSeconds : 30,
    remotionLicenseKey: o.remotionLicenseKey || null,
    workDir: o.workDir ?? path.join(dataDir, 'tmp'),
    cacheDir: o.cacheDir ?? path.join(dataDir, 'cache', 'materials'),
    keepWorkFiles: o.keepWorkFiles ?? false,
    encode: withinCores({ ...DEFAULT_ENCODE, ...o.encode }),
    limits: { ...DEFAULT_LIMITS, ...o.limits },
    network: { allowPrivateNetwork: o.allowPrivateNetwork ?? false, allowAddresses: o.allowAddresses ?? [] },
    downloads: { ...DEFAULT_DOWNLOADS, ...o.downloads },
  };
}

/**
 * Remotion refuses more browser tabs than the cores this process may use (a worker pinned to one
 * core with taskset, a container with one CPU): the tabs are capped there.
 */
const withinCores = (encode: EncodeSettings): EncodeSettings => ({ ...encode, concurrency: Math.max(1, Math.min(encode.concurrency, os.availableParallelism())) });

/** The browser, or why there is none (Remotion cannot download its own on a closed network). */
export function browserOf(settings: Pick<RenderSettings, 'browserExecutable'>): string {
  const found = settings.browserExecutable;
  if (found && existsSync(found)) return found;
  throw new Error(
    found
      ? `BROWSER_EXECUTABLE=${found} does not exist`
      : 'No headless Chromium found. Install it with `apt-get install chromium-headless-shell` (npm run setup does) or set BROWSER_EXECUTABLE.',
  );
}
