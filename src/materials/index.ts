export {
  fetchMaterials,
  usedMediaIds,
  baseName,
  type FetchMaterialsOptions,
  DEFAULT_MATERIAL_CONCURRENCY,
  DEFAULT_MATERIAL_TIMEOUT_MS,
  DEFAULT_MATERIAL_MAX_BYTES,
  DEFAULT_MATERIAL_RETRIES,
} from './fetch-materials';
export { cachedDownload, cacheKey, type CachedDownloadOptions } from './cache';
export { probeMedia, ffprobeCommand, type MediaProbe } from './probe';
export { sniffExtension, imageSizeFromHeader, extensionFromUrl } from './file-type';
