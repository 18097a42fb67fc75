/**
 * The job state machine: queued → in-progress → completed | failed, and back to queued when a
 * run was interrupted (a restart, a worker that died). Every change of state goes through these
 * functions, whichever store holds the job and whichever process runs it.
 */
import { randomUUID } from 'node:crypto';
import type { GenVideoError } from '../../src/errors';
import type { Stage } from '../../src/render/types';
import type { CompletedJob, FailedJob, InProgressJob, Job, QueuedJob, VideoInfo } from './types';

/** A job whose run was interrupted is run again once; interrupted a second time, it fails. */
export const MAX_ATTEMPTS = 2;

export function newJob(o: { id: string; draftUrl: string; draftKey: string; now: number }): QueuedJob {
  return {
    id: o.id,
    draftUrl: o.draftUrl,
    draftKey: o.draftKey,
    callbackUrls: [],
    status: 'queued',
    stage: 'parse',
    progress: 0,
    attempts: 0,
    createdAt: o.now,
    warnings: [],
  };
}

/** A run starts (one more attempt), owning the job from now on. */
export const started = (job: Job, now: number): InProgressJob => ({
  ...(job as InProgressJob),
  status: 'in-progress',
  runId: randomUUID(),
  startedAt: now,
  stage: 'parse',
  progress: 0,
  attempts: job.attempts + 1,
});

/** Progress never goes back, and a stage is only left forward. */
export const progressed = (job: InProgressJob, stage: Stage, progress: number): InProgressJob => ({
  ...job,
  stage,
  progress: Math.max(job.progress, Math.min(1, Math.max(0, progress))),
});

/** Back in line: interrupted through no fault of its own (a shutdown), the attempt is not counted. */
export const requeued = (job: Job, o: { countAttempt: boolean }): QueuedJob => ({
  ...(job as QueuedJob),
  status: 'queued',
  stage: 'parse',
  progress: 0,
  attempts: o.countAttempt ? job.attempts : Math.max(0, job.attempts - 1),
});

export const completed = (
  job: Job,
  o: { now: number; videoKey: string; videoUrl: string; videoUrlExpiresAt: number; video: VideoInfo },
): CompletedJob => ({
  ...(job as CompletedJob),
  status: 'completed',
  stage: 'done',
  progress: 1,
  completedAt: o.now,
  videoKey: o.videoKey,
  videoUrl: o.videoUrl,
  videoUrlExpiresAt: o.videoUrlExpiresAt,
  video: o.video,
});

export const failed = (job: Job, err: GenVideoError, now: number): FailedJob => ({
  ...(job as FailedJob),
  status: 'failed',
  completedAt: now,
  errorCode: err.code,
  httpStatus: err.status,
  detail: err.detail,
});
