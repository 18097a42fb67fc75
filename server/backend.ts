/** Where this node's renders are drawn (RENDER_BACKEND): its own render processes, or Remotion Lambda. */
import { lookup } from 'node:dns/promises';
import type { RenderBackend } from '../src/render/backend';
import { createLambdaBackend, createRemotionLambdaClient } from '../src/render/lambda';
import { createLocalBackend } from '../src/render/local-backend';
import type { Config } from './config';
import type { Logger } from './log';

export function createBackend(config: Config, log: Logger, slots: number): RenderBackend {
  return config.renderBackend === 'lambda'
    ? // Lambda fetches every material itself: a name that resolves to a private address is refused here.
      createLambdaBackend(config.lambda!, createRemotionLambdaClient(), { resolveHost: (host) => lookup(host, { all: true }) })
    : createLocalBackend(config.render, { slots, maxHeapMb: config.renderProcessMaxMemoryMb, log: (m) => log.warn(m) });
}
