import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDraft } from '../../src/render/render-draft';
import type { RenderEngine } from '../../src/render/engine';
import { renderSettings, type EncodeSettings, type RenderSettingsInput } from '../../src/render/settings';
import type { RenderResult } from '../../src/render/types';
import { serveDir, type TestServer } from '../helpers/http-server';

/** Both engines, for tests of rules each must draw the same (see src/render/compositor). */
export const ENGINES = ['compositor', 'remotion'] as const;

/** Serves `draft` and the media of `dir` from 127.0.0.1 and renders it through the whole pipeline. */
export const renderServedDraft = async (
  dir: string,
  makeDraft: (url: (file: string) => string) => Record<string, unknown>,
  name = 'draft.json',
  engine?: RenderEngine,
  encode?: Partial<EncodeSettings>,
  more: Partial<RenderSettingsInput> = {},
): Promise<RenderResult> => {
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const server: TestServer = await serveDir(dir);
  try {
    writeFileSync(path.join(dir, name), JSON.stringify(makeDraft(server.url)));
    const result = await renderDraft({
      source: server.url(name),
      outPath: path.join(dir, `${name}.mp4`),
      settings: renderSettings({ dataDir, allowPrivateNetwork: true, engine, encode, ...more }),
    });
    if (process.env.SHOW_ENGINE) console.log(`${name}: ${result.engine} ${result.engineReason ?? ''}`);
    return result;
  } finally {
    await server.close();
  }
};
