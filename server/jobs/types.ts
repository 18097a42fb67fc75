import type { ErrorCode } from '../../src/errors';
import type { Stage } from '../../src/render/types';
import type { TimelineWarning } from '../../src/timeline/types';

/** A job is one render of one draft (as in Remotion's render-server template). */
interface JobBase {
  /** The task_id of the API. */
  id: string;
  /** The draft_url as the client sent it (first request). */
  draftUrl: string;
  /** Dedupe key: the normalised URL of the draft JSON. */
  draftKey: string;
  /** sha256 of the canonical JSON of the loaded draft (set once the draft is loaded). */
  contentHash?: string;
  /** Where to POST the job when it ends. */
  callbackUrls: string[];
  stage: Stage;
  /** 0..1 over the whole job. */
  progress: number;
  /** Runs started (a job interrupted by a crash is re-run once). */
  attempts: number;
  /**
   * The run that owns the job now (set when a run starts). A run that lost it (a worker thought
   * dead, its job taken over) cannot write the job any more: it ends once, with one video.
   */
  runId?: string;
  createdAt: number;
  startedAt?: number;
  warnings: TimelineWarning[];
}

export interface QueuedJob extends JobBase {
  status: 'queued';
}

export interface InProgressJob extends JobBase {
  status: 'in-progress';
  startedAt: number;
}

export interface VideoInfo {
  widthPx: number;
  heightPx: number;
  fps: number;
  durationSec: number;
  sizeBytes: number;
}

export interface CompletedJob extends JobBase {
  status: 'completed';
  completedAt: number;
  /** Storage key of the video. */
  videoKey: string;
  /** The last video_url handed out, re-signed when it gets old. */
  videoUrl: string;
  videoUrlExpiresAt: number;
  video: VideoInfo;
}

export interface FailedJob extends JobBase {
  status: 'failed';
  completedAt: number;
  errorCode: ErrorCode;
  httpStatus: number;
  /** The `detail` of the error body. */
  detail: string;
}

export type Job = QueuedJob | InProgressJob | CompletedJob | FailedJob;
export type JobStatus = Job['status'];

export const isTerminal = (job: Job): job is CompletedJob | FailedJob => job.status === 'completed' || job.status === 'failed';

/** The API's Chinese stage names (gen-video-api.txt, 处理状态说明). */
export const STAGE_NAMES: Record<Stage, string> = {
  parse: '开始处理',
  download: '素材下载',
  render: '视频渲染',
  audio: '音频处理',
  encode: '最终编码',
  store: '上传完成',
  done: '上传完成',
};

export const stageName = (stage: Stage): string => STAGE_NAMES[stage] ?? STAGE_NAMES.parse;
