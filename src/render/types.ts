import type { DraftContext } from '../draft/types';
import type { DraftLimits } from '../timeline/limits';
import type { TimelineWarning } from '../timeline/types';
import type { RenderEngine } from './engine';

/** Pipeline stages, in order. The server shows them with the API's Chinese names. */
export type Stage = 'parse' | 'download' | 'render' | 'audio' | 'encode' | 'store' | 'done';

export interface RenderProgress {
  stage: Stage;
  /** 0..1 over the whole job. */
  progress: number;
  renderedFrames?: number;
  totalFrames?: number;
}

export interface RenderDraftOptions {
  /** draft_url (any form of draft-format.md §1) or, with allowLocalFiles, a local draft file. */
  source: string;
  /** A draft the caller already loaded (the server loads it first to hash its content). */
  loaded?: { draft: unknown; context: DraftContext };
  /** The finished MP4 is moved here only when complete. */
  outPath: string;
  /** Root for the material cache and temp files. */
  dataDir: string;
  /** CLI only: local draft files and local material paths. */
  allowLocalFiles?: boolean;
  /** Allow loopback/private/link-local hosts for the draft and materials (tests, trusted setups). */
  allowPrivateNetwork?: boolean;
  /** Exact IPs exempt from the private-address check for the draft and materials (PRIVATE_NETWORK_ALLOWLIST). */
  allowAddresses?: readonly string[];
  /** Stand-in files for materials, by material id or file name (CLI `--media`, tests). */
  mediaOverrides?: Record<string, string>;
  onProgress?: (p: RenderProgress) => void;
  signal?: AbortSignal;
  /** Render only the first N seconds (bench, previews). */
  maxSeconds?: number;
  /** Which engine draws the frames; default RENDER_ENGINE or `auto`. */
  engine?: RenderEngine;
  /** Checked on the draft before any work, and on each material once probed; default DEFAULT_LIMITS. */
  limits?: DraftLimits;
}

export interface RenderResult {
  outPath: string;
  widthPx: number;
  heightPx: number;
  fps: number;
  durationFrames: number;
  durationSec: number;
  sizeBytes: number;
  warnings: TimelineWarning[];
  /** Seconds spent per stage. */
  timingsSec: Partial<Record<Stage, number>>;
  /** What drew the frames (see RenderEngine). */
  engine: 'compositor' | 'remotion';
  /** Why the compositor was not used, when it was not asked to be skipped. */
  engineReason?: string;
}
