import type { DraftContext } from '../draft/types';
import type { TimelineWarning } from '../timeline/types';
import type { BrowserSession } from './browser';
import type { BrowserDrawn } from './compositor/plan';
import type { RenderSettings } from './settings';

/** Pipeline stages, in order. The server shows them with the API's Chinese names. */
export type Stage = 'parse' | 'download' | 'render' | 'audio' | 'encode' | 'store' | 'done';

export interface RenderProgress {
  stage: Stage;
  /** 0..1 over the whole job. */
  progress: number;
  renderedFrames?: number;
  totalFrames?: number;
}

/** Where a draft comes from and what to take of it (shared by render, sheet and Studio). */
export interface DraftInput {
  /** draft_url (any form of draft-format.md §1) or, with allowLocalFiles, a local draft file. */
  source: string;
  /** A draft the caller already loaded (the server loads it first to hash its content). */
  loaded?: { draft: unknown; context: DraftContext };
  /** CLI only: local draft files and local material paths. */
  allowLocalFiles?: boolean;
  /** Stand-in files for materials, by material id or file name (CLI `--media`, tests). */
  mediaOverrides?: Record<string, string>;
  /** Render only the first N seconds (bench, previews). */
  maxSeconds?: number;
  signal?: AbortSignal;
}

export interface RenderDraftOptions extends DraftInput {
  /** The finished MP4 is moved here only when complete. */
  outPath: string;
  settings: RenderSettings;
  /** A browser kept open across renders (a render process's); without one, one is opened for this render. */
  browser?: BrowserSession;
  onProgress?: (p: RenderProgress) => void;
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
  /** The compositor: the layers the browser drew (as tiles ffmpeg placed), and why ffmpeg could not. */
  browserDrawn?: BrowserDrawn[];
  /** The compositor: the browser's frames (each a sheet of tiles) and the seconds it drew them in (alongside ffmpeg after the first chunk). */
  browserWork?: BrowserWork;
}

export interface BrowserWork {
  frames: number;
  tiles: number;
  seconds: number;
}
