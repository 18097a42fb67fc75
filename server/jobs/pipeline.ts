/** What the job runner does with a job, step by step; the real steps are in server/pipeline.ts, tests use stand-ins. */
import type { DraftContext } from '../../src/draft/types';
import type { RenderBackend } from '../../src/render/backend';
import type { Timeline } from '../../src/timeline/types';

export interface LoadedDraft {
  draft: unknown;
  context: DraftContext;
  /** The draft document as read, for hashing (falls back to `draft`). */
  json?: unknown;
}

export interface JobPipeline {
  /** The draft JSON (cheap: the API node loads it too, to tell whether a finished draft changed). */
  load(draftUrl: string, o: { signal?: AbortSignal }): Promise<LoadedDraft>;
  /** Draft → timeline (limits checked first) → every material downloaded and probed: the download stage. */
  prepare(draftUrl: string, loaded: LoadedDraft, o: { signal: AbortSignal; onProgress: (share: number) => void }): Promise<Timeline>;
  /** Where the frames are drawn. */
  backend: RenderBackend;
}
