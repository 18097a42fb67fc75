/** The real pipeline the server runs by default (tests may inject others). */
import { loadDraft } from '../src/draft/load';
import { renderDraft } from '../src/render/render-draft';
import type { LoadFn, RenderFn } from './jobs/service';

export const defaultRender: RenderFn = (opts) => renderDraft(opts);

export const defaultLoad: LoadFn = (source, opts) =>
  loadDraft(source, { allowPrivateNetwork: opts.allowPrivateNetwork, allowAddresses: opts.allowAddresses, signal: opts.signal });
