// A stand-in pipeline for fast in-process tests of the job logic (the e2e tests use the real one).
import { writeFileSync } from 'node:fs';
import { resolveDraftUrl } from '../../../src/draft/source';
import { GenVideoError } from '../../../src/errors';
import type { BackendRenderInput, BackendRenderResult, RenderBackend } from '../../../src/render/backend';
import type { Timeline } from '../../../src/timeline/types';
import type { JobPipeline } from '../../../server/jobs/pipeline';

export interface FakePipeline extends JobPipeline {
  /** draft URL → draft JSON, or an error to throw when loading it. */
  drafts: Map<string, unknown>;
  /** Renders started, by job id. */
  renders: string[];
  loads: string[];
  /** When set, renders wait for release() (or their signal). */
  hold: boolean;
  release(): void;
  /** Makes the next renders throw this. */
  failWith?: unknown;
  /** Renders ignore their abort signal (a stuck pipeline). */
  ignoreSignal: boolean;
}

const TIMELINE: Timeline = { widthPx: 160, heightPx: 90, fps: 10, durationFrames: 10, layers: [], audio: [], media: {}, warnings: [] };

export function fakePipeline(): FakePipeline {
  let waiters: (() => void)[] = [];
  const backend: RenderBackend = {
    name: 'local',
    async render(input: BackendRenderInput): Promise<BackendRenderResult> {
      p.renders.push(input.jobId);
      if (p.hold) {
        await new Promise<void>((resolve, reject) => {
          waiters.push(resolve);
          if (!p.ignoreSignal) input.signal.addEventListener('abort', () => reject(input.signal.reason), { once: true });
        });
      }
      if (p.failWith) throw p.failWith;
      input.onProgress({ stage: 'render', progress: 0.5 });
      input.onProgress({ stage: 'encode', progress: 0.95 });
      writeFileSync(input.outPath, Buffer.from('not really a video'));
      input.onProgress({ stage: 'done', progress: 1 });
      return {
        widthPx: 160,
        heightPx: 90,
        fps: 10,
        durationFrames: 10,
        durationSec: 1,
        sizeBytes: 18,
        warnings: [{ code: 'test-warning', message: 'approximated something' }],
        engine: 'remotion',
        stored: false,
      };
    },
    close: async () => undefined,
  };
  const p: FakePipeline = {
    drafts: new Map(),
    renders: [],
    loads: [],
    hold: false,
    ignoreSignal: false,
    release() {
      p.hold = false;
      waiters.splice(0).forEach((w) => w());
      waiters = [];
    },
    async load(source) {
      p.loads.push(source);
      await new Promise((r) => setTimeout(r, 5));
      const d = p.drafts.get(resolveDraftUrl(source));
      if (d === undefined) throw new GenVideoError('DRAFT_NOT_FOUND');
      if (d instanceof Error) throw d;
      return { draft: d, context: { draftUrl: source }, json: d };
    },
    async prepare(_draftUrl, _loaded, o) {
      o.onProgress(0);
      return TIMELINE;
    },
    backend,
  };
  return p;
}
