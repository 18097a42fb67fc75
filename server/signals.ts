/**
 * SIGTERM / SIGINT for a long-running process: the first one stops it gracefully (`stop`), a
 * second one exits at once; the exit code says which.
 */
import type { Logger } from './log';

export function onStopSignals(log: Logger, what: string, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = async (signal: string) => {
    if (stopping) {
      log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log.info(`${signal}: ${what}`);
    try {
      await stop();
    } catch (e) {
      log.error('shutdown', e);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void handle('SIGTERM'));
  process.on('SIGINT', () => void handle('SIGINT'));
  process.on('unhandledRejection', (e) => log.error('unhandled rejection', e));
}
