import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

/**
 * Remotion cannot download its own browser on a closed network; Debian's headless shell is used.
 * BROWSER_EXECUTABLE overrides the search.
 */
export const findBrowserExecutable = (): string => {
  const fromEnv = process.env.BROWSER_EXECUTABLE;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`BROWSER_EXECUTABLE=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'No headless Chromium found. Install it with `apt-get install chromium-headless-shell` (npm run setup does) or set BROWSER_EXECUTABLE.',
    );
  }
  return found;
};
