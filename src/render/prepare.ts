import { loadDraft } from '../draft/load';
import type { Draft } from '../draft/schema';
import { fetchMaterials } from '../materials';
import { compileTimeline } from '../timeline/compile';
import type { Timeline } from '../timeline/types';
import type { RenderSettings } from './settings';
import type { DraftInput } from './types';

/** Draft → timeline (limits checked first), media not yet local. Cheap: no downloads. */
export const compileDraft = async (input: DraftInput, settings: RenderSettings): Promise<Timeline> => {
  const loaded =
    input.loaded ??
    (await loadDraft(input.source, {
      allowLocalFiles: input.allowLocalFiles,
      allowPrivateNetwork: settings.network.allowPrivateNetwork,
      allowAddresses: settings.network.allowAddresses,
      signal: input.signal,
    }));
  return compileTimeline(loaded.draft as Draft, loaded.context, { maxSeconds: input.maxSeconds, limits: settings.limits });
};

/** Every material the timeline uses made a local file (downloaded into the cache, probed, checked). */
export const localizeMedia = (
  timeline: Timeline,
  input: Pick<DraftInput, 'allowLocalFiles' | 'mediaOverrides' | 'signal'>,
  settings: RenderSettings,
  onProgress?: (share: number) => void,
  onDownload?: (e: { ok: boolean; bytes: number }) => void,
): Promise<Timeline> =>
  fetchMaterials(timeline, {
    cacheDir: settings.cacheDir,
    allowPrivateNetwork: settings.network.allowPrivateNetwork,
    allowAddresses: settings.network.allowAddresses,
    allowLocalFiles: input.allowLocalFiles,
    overrides: input.mediaOverrides,
    signal: input.signal,
    limits: settings.limits,
    concurrency: settings.downloads.concurrency,
    timeoutMs: settings.downloads.timeoutMs,
    stallTimeoutMs: settings.downloads.stallTimeoutMs,
    maxBytes: settings.downloads.maxBytes,
    retries: settings.downloads.retries,
    onDownload,
    onProgress: (done, total) => onProgress?.(total ? done / total : 1),
  });

/** Draft → timeline whose media are local files: everything a render, a sheet or Studio needs. */
export const prepareTimeline = async (
  input: DraftInput,
  settings: RenderSettings,
  onStage?: (stage: 'parse' | 'download', share: number) => void,
): Promise<Timeline> => {
  onStage?.('parse', 0);
  const compiled = await compileDraft(input, settings);
  onStage?.('download', 0);
  return localizeMedia(compiled, input, settings, (share) => onStage?.('download', share));
};
