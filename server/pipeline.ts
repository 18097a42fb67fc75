/** The real job pipeline (tests may inject others): load, then the download stage, then a backend. */
import { loadDraft } from '../src/draft/load';
import type { RenderBackend } from '../src/render/backend';
import { compileDraft, localizeMedia } from '../src/render/prepare';
import type { RenderSettings } from '../src/render/settings';
import type { JobPipeline, LoadedDraft } from './jobs/pipeline';
import type { Metrics } from './metrics';

export const loadFor =
  (settings: RenderSettings) =>
  (draftUrl: string, o: { signal?: AbortSignal } = {}): Promise<LoadedDraft> =>
    loadDraft(draftUrl, { allowPrivateNetwork: settings.network.allowPrivateNetwork, allowAddresses: settings.network.allowAddresses, signal: o.signal });

export function createPipeline(settings: RenderSettings, backend: RenderBackend, metrics?: Metrics): JobPipeline {
  return {
    load: loadFor(settings),
    async prepare(draftUrl, loaded, o) {
      const input = { source: draftUrl, loaded, signal: o.signal };
      const timeline = await compileDraft(input, settings);
      return localizeMedia(timeline, input, settings, o.onProgress, metrics && ((e) => metrics.downloaded(e.ok, e.bytes)));
    },
    backend,
  };
}
