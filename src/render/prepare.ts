import path from 'node:path';
import { loadDraft } from '../draft/load';
import type { Draft } from '../draft/schema';
import { fetchMaterials } from '../materials';
import { compileTimeline } from '../timeline/compile';
import type { Timeline } from '../timeline/types';
import type { RenderDraftOptions } from './types';

export type PrepareOptions = Pick<
  RenderDraftOptions,
  | 'source'
  | 'loaded'
  | 'dataDir'
  | 'allowLocalFiles'
  | 'allowPrivateNetwork'
  | 'allowAddresses'
  | 'mediaOverrides'
  | 'signal'
  | 'maxSeconds'
  | 'limits'
> & {
  onStage?: (stage: 'parse' | 'download', share: number) => void;
};

/** Draft → timeline whose media are local files: everything a render, a sheet or Studio needs. */
export const prepareTimeline = async (opts: PrepareOptions): Promise<Timeline> => {
  opts.onStage?.('parse', 0);
  const loaded =
    opts.loaded ??
    (await loadDraft(opts.source, {
      allowLocalFiles: opts.allowLocalFiles,
      allowPrivateNetwork: opts.allowPrivateNetwork,
      allowAddresses: opts.allowAddresses,
      signal: opts.signal,
    }));
  const compiled = compileTimeline(loaded.draft as Draft, loaded.context, { maxSeconds: opts.maxSeconds, limits: opts.limits });
  opts.onStage?.('download', 0);
  return fetchMaterials(compiled, {
    cacheDir: path.join(opts.dataDir, 'cache', 'materials'),
    allowPrivateNetwork: opts.allowPrivateNetwork,
    allowAddresses: opts.allowAddresses,
    allowLocalFiles: opts.allowLocalFiles,
    overrides: opts.mediaOverrides,
    signal: opts.signal,
    limits: opts.limits,
    onProgress: (done, total) => opts.onStage?.('download', total ? done / total : 1),
  });
};
