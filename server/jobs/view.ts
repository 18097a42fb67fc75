/** How jobs look on the wire. */
import { stageName, type Job } from './types';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * A URL as it may be shown back: without `user:password@` (also inside a wrapping link's query),
 * which the job keeps to fetch the draft but never answers with.
 */
export const withoutCredentials = (url: string): string => url.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@?#]*@/gi, '$1');
const round3 = (x: number) => Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;

/** GET /v1/gen_video/{task_id}, SSE events and callbacks. */
export function jobView(job: Job, extra?: { queuePosition?: number }) {
  return {
    task_id: job.id,
    draft_url: withoutCredentials(job.draftUrl),
    status: job.status,
    stage: stageName(job.stage),
    progress: job.status === 'completed' ? 1 : round3(job.progress),
    ...(job.status === 'completed' ? { message: '视频生成成功', video_url: job.videoUrl } : {}),
    ...(job.status === 'failed' ? { detail: job.detail, error_code: job.errorCode, http_status: job.httpStatus } : {}),
    ...(extra?.queuePosition !== undefined ? { queue_position: extra.queuePosition } : {}),
    warnings: job.warnings,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    completed_at: iso(job.status === 'completed' || job.status === 'failed' ? job.completedAt : undefined),
  };
}
export type JobView = ReturnType<typeof jobView>;

/** POST /v1/gen_video_status: the shape of capcut-mate's gen_video_status. */
export function capcutStatusView(job: Job) {
  const status = { queued: 'pending', 'in-progress': 'processing', completed: 'completed', failed: 'failed' }[job.status];
  return {
    draft_url: withoutCredentials(job.draftUrl),
    status,
    progress: job.status === 'completed' ? 100 : Math.floor(round3(job.progress) * 100),
    video_url: job.status === 'completed' ? job.videoUrl : '',
    error_message: job.status === 'failed' ? job.detail : '',
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    completed_at: iso(job.status === 'completed' || job.status === 'failed' ? job.completedAt : undefined),
    // Ours, beyond capcut-mate's fields:
    task_id: job.id,
    stage: stageName(job.stage),
  };
}
