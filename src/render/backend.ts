/**
 * Where a job's frames are drawn: on this machine's render processes (`local`: the compositor or
 * Remotion, RENDER_ENGINE), or by a service that renders a whole timeline itself (`lambda`:
 * Remotion Lambda). The job runner prepares the timeline (draft → timeline → materials
 * downloaded and probed), then hands it to the backend; the backend answers with a video.
 */
import type { Timeline } from '../timeline/types';
import type { RenderProgress, RenderResult } from './types';

export interface BackendRenderInput {
  /** The job's id (names the render where the backend shows it, e.g. Lambda's render folder). */
  jobId: string;
  /** Media local (src = the downloaded file) and probed; each MediaRef says which URL it came from. */
  timeline: Timeline;
  /** A local video is wanted here (complete files only: write beside it, rename at the end). */
  outPath: string;
  /**
   * With S3 storage: the object the video belongs in. A backend that writes to S3 itself puts it
   * there and answers `stored: true`; otherwise it writes `outPath` and the runner uploads it.
   */
  s3Output?: { bucket: string; key: string };
  signal: AbortSignal;
  /** Progress of the job as a whole (stages render / audio / encode; 0..1), as renderDraft reports it. */
  onProgress: (p: RenderProgress) => void;
  /** A line for the job's log (which engine drew, what the backend did). */
  log: (message: string) => void;
}

export type BackendRenderResult = Omit<RenderResult, 'timingsSec' | 'outPath' | 'engine'> & {
  /** Who drew the frames: `compositor`, `remotion` (here) or `lambda` (Remotion Lambda). */
  engine: 'compositor' | 'remotion' | 'lambda';
  /** true: already at `s3Output`; false: at `outPath`. */
  stored: boolean;
};

export interface RenderBackend {
  readonly name: 'local' | 'lambda';
  render(input: BackendRenderInput): Promise<BackendRenderResult>;
  /** Stops whatever it keeps running (render processes); a running render fails. */
  close(): Promise<void>;
}
