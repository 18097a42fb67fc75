/**
 * One headless Chromium kept open across renders: a render process opens it at its first render
 * and reuses it for every render, range and tile after that (Remotion opens a page per render in
 * it). Its profile lives under the process's TMPDIR (DATA_DIR/tmp/process-…), which the host
 * cleans when the process goes. A render that failed or was cancelled discards it: the next one
 * opens a fresh browser rather than trust one that may hold its pages.
 */
import { openBrowser, type HeadlessBrowser } from '@remotion/renderer';

/** How long a kept browser may take to answer before it is taken for dead. */
const ALIVE_TIMEOUT_MS = 3000;

const alive = async (browser: HeadlessBrowser): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      // Idempotent (the browser discovers targets from its start): a round trip and nothing else.
      browser.connection.send('Target.setDiscoverTargets', { discover: true }),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer')), ALIVE_TIMEOUT_MS))),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
};

export class BrowserSession {
  #browser?: Promise<HeadlessBrowser>;
  #executable?: string;
  #opened = 0;

  /** Browsers opened so far (1 while it stays warm). */
  get opened(): number {
    return this.#opened;
  }

  /** The kept browser, opened (again) when there is none, it stopped answering or another binary is asked for. */
  async get(executable: string): Promise<HeadlessBrowser> {
    if (this.#browser) {
      const kept = await this.#browser.catch(() => undefined);
      if (kept && this.#executable === executable && (await alive(kept))) return kept;
      await this.discard();
    }
    const opening = openBrowser('chrome', { browserExecutable: executable, logLevel: 'error' }).then(async (browser) => {
      // Its first tab (about:blank) would hold a renderer (~100 MB) for nothing: renders open their own.
      for (const target of browser.targets()) {
        if (target.type() !== 'page') continue;
        await browser.connection.send('Target.closeTarget', { targetId: target._targetId }).catch(() => undefined);
      }
      return browser;
    });
    this.#executable = executable;
    this.#browser = opening;
    this.#opened++;
    opening.catch(() => {
      if (this.#browser === opening) this.#browser = undefined;
    });
    return opening;
  }

  /** Closes the browser; the next get() opens a new one. */
  async discard(): Promise<void> {
    const browser = this.#browser;
    this.#browser = undefined;
    const b = await browser?.catch(() => undefined);
    await b?.close({ silent: true }).catch(() => undefined);
  }

  close(): Promise<void> {
    return this.discard();
  }

  /**
   * Runs `work` with the kept browser; a failure (or a cancel) discards it, so a page or a
   * renderer stuck in it cannot spoil the next render.
   */
  async use<T>(executable: string, work: (browser: HeadlessBrowser) => Promise<T>): Promise<T> {
    const browser = await this.get(executable);
    try {
      return await work(browser);
    } catch (err) {
      await this.discard();
      throw err;
    }
  }
}

/**
 * Runs `work` with `session`, or with a browser opened for it alone (closed when it ends): a
 * render called without a render process's kept browser (the CLI, a test).
 */
export async function withBrowserSession<T>(session: BrowserSession | undefined, work: (session: BrowserSession) => Promise<T>): Promise<T> {
  if (session) return work(session);
  const own = new BrowserSession();
  try {
    return await work(own);
  } finally {
    await own.close();
  }
}
