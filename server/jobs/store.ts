/**
 * Where job records live: SQLite on one machine (sqlite-store.ts), Redis for a farm
 * (farm/redis-store.ts). One interface, so the job logic is the same on both.
 */
import type { Job, JobStatus, QueuedJob } from './types';

export type AddCallbackResult =
  /** Kept; it will be called when the job ends. */
  | 'added'
  /** Already there. */
  | 'known'
  /** The job has as many as it may have. */
  | 'full'
  /** The job has ended: call it now. */
  | 'ended'
  | 'missing';

export interface JobStore {
  /**
   * Inserts `job` unless its draft already has an active job (queued or in progress), in which
   * case that one is returned: one job per draft at a time, however many nodes ask at once.
   */
  claim(job: QueuedJob): Promise<{ job: Job; created: boolean }>;
  get(id: string): Promise<Job | undefined>;
  /** The most recent job of a draft, in any state. */
  latestByKey(draftKey: string): Promise<Job | undefined>;
  /**
   * Saves a job's state, unless another run owns the stored job now (`job.runId` differs from the
   * stored one): then nothing is written and the answer is false. Callback URLs are not touched
   * (addCallback owns them).
   */
  update(job: Job): Promise<boolean>;
  /** A run starts and owns the job from now on (whatever run owned it before). */
  takeOver(job: Job): Promise<void>;
  /** Adds a callback URL to a job that has not ended yet, atomically. */
  addCallback(id: string, url: string, max: number): Promise<AddCallbackResult>;
  /** Oldest first. */
  byStatus(...statuses: JobStatus[]): Promise<Job[]>;
  count(...statuses: JobStatus[]): Promise<number>;
  /** Ended jobs that ended before `beforeMs`, oldest first, at most `limit` (retention). */
  endedBefore(beforeMs: number, limit: number): Promise<Job[]>;
  remove(id: string): Promise<void>;
  /** Why the store cannot be used right now, or null (health checks). */
  problem(): Promise<string | null>;
  close(): Promise<void>;
}
