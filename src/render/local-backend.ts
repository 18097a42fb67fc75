/**
 * The `local` backend: frames drawn on this machine by render processes (one per render slot,
 * kept warm), with the engine the settings pick (the compositor or Remotion).
 */
import type { BackendRenderInput, BackendRenderResult, RenderBackend } from './backend';
import { describeBrowserDrawn } from './compositor/plan';
import { RenderProcessPool } from './process/host';
import type { OpArgs, OpName, OpResult } from './process/ops';
import type { RenderProgress } from './types';
import type { RenderSettings } from './settings';

export interface LocalBackend extends RenderBackend {
  readonly name: 'local';
  /** Render slots in use and renders waiting for one. */
  readonly busy: number;
  readonly waiting: number;
  /** One render stage in a render slot (a farm's chunks, sound and join). */
  run<K extends OpName>(op: K, args: OpArgs<K>, o: { signal?: AbortSignal; onProgress?: (p: RenderProgress) => void }): Promise<OpResult<K>>;
}

export function createLocalBackend(settings: RenderSettings, o: { slots: number; maxHeapMb?: number; log?: (m: string) => void }): LocalBackend {
  const pool = new RenderProcessPool(o.slots, { workDir: settings.workDir, maxHeapMb: o.maxHeapMb, log: o.log });
  // A process that exits takes its render processes with it (their groups are their own).
  process.once('exit', () => pool.killAll());
  return {
    name: 'local',
    get busy() {
      return pool.busy;
    },
    get waiting() {
      return pool.waiting;
    },
    async render(input: BackendRenderInput): Promise<BackendRenderResult> {
      const result = await pool.with(
        (p) => p.run('render', { timeline: input.timeline, outPath: input.outPath, settings }, { signal: input.signal, onProgress: input.onProgress }),
        input.signal,
      );
      if (result.engineReason) input.log(`drawn by ${result.engine}: ${result.engineReason}`);
      if (result.browserDrawn?.length) input.log(`drawn by the compositor; the browser drew ${describeBrowserDrawn(result.browserDrawn)}`);
      return { ...result, stored: false };
    },
    run: (op, args, opts) => pool.with((p) => p.run(op, args, opts), opts.signal),
    close: () => pool.close(),
  };
}
