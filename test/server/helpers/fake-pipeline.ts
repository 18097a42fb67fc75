// A stand-in pipeline for fast in-process tests of the job logic (the e2e tests use the real one).
import { writeFileSync } from 'node:fs';
import { resolveDraftUrl } from '../../../src/draft/source';
import { GenVideoError } from '../../../src/errors';
import type { RenderDraftOptions, RenderResult } from '../../../src/render/types';
import type { LoadFn, RenderFn } from '../../../server/jobs/service';

export interface FakePipeline {
  load: LoadFn;
  render: RenderFn;
  /** draft URL → draft JSON, or an error to throw when loading it. */
  drafts: Map<string, unknown>;
  /** Renders started, by source. */
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

export function fakePipeline(): FakePipeline {
  let waiters: (() => void)[] = [];
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
    load: async (source) => {
      p.loads.push(source);
      await new Promise((r) => setTimeout(r, 5));
      const d = p.drafts.get(resolveDraftUrl(source));
      if (d === undefined) throw new GenVideoError('DRAFT_NOT_FOUND');
      if (d instanceof Error) throw d;
      return { draft: d, context: { draftUrl: source }, json: d };
    },
    render: async (opts: RenderDraftOptions): Promise<RenderResult> => {
      p.renders.push(opts.source);
      opts.onProgress?.({ stage: 'parse', progress: 0 });
      opts.onProgress?.({ stage: 'download', progress: 0.05 });
      if (p.hold) {
        await new Promise<void>((resolve, reject) => {
          waiters.push(resolve);
          if (!p.ignoreSignal) opts.signal?.addEventListener('abort', () => reject(opts.signal!.reason), { once: true });
        });
      }
      if (p.failWith) throw p.failWith;
      opts.onProgress?.({ stage: 'render', progress: 0.5 });
      opts.onProgress?.({ stage: 'encode', progress: 0.95 });
      writeFileSync(opts.outPath, Buffer.from('not really a video'));
      opts.onProgress?.({ stage: 'done', progress: 1 });
      return {
        outPath: opts.outPath,
        widthPx: 160,
        heightPx: 90,
        fps: 10,
        durationFrames: 10,
        durationSec: 1,
        sizeBytes: 18,
        warnings: [{ code: 'test-warning', message: 'approximated something' }],
        timingsSec: {},
        engine: 'remotion',
      };
    },
  };
  return p;
}
