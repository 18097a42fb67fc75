/** The storage STORAGE says, as every node of a deployment builds it. */
import path from 'node:path';
import type { Config } from '../config';
import { createLocalStorage, type LocalStorage } from './local';
import { createS3Storage } from './s3';
import { loadOrCreateSecret } from './signing';
import type { VideoStorage } from './types';

export function createStorage(config: Config, baseUrl: () => string): VideoStorage | LocalStorage {
  return config.storage === 's3'
    ? createS3Storage(config.s3!)
    : createLocalStorage({ dir: path.join(config.dataDir, 'videos'), secret: loadOrCreateSecret(config.dataDir, config.urlSigningSecret), baseUrl });
}
