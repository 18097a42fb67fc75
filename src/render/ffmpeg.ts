import { existsSync } from 'node:fs';

/**
 * Debian's ffmpeg, for the compositor: Remotion's bundled ffmpeg is built without the filters
 * it needs (overlay, loop, lut, tpad). FFMPEG_PATH overrides; null when there is none.
 */
export const findSystemFfmpeg = (): string | null => {
  const fromEnv = process.env.FFMPEG_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p)) ?? null;
};
