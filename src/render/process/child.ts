/**
 * A render process: runs render stages for its parent (the server or a worker) over IPC. It owns
 * nothing else: signals do not stop it (its parent decides when a render stops, and Remotion's own
 * handlers would close the browser mid-render), and when its parent goes away it takes everything
 * it started with it.
 */
import os from 'node:os';
import { isGenVideoError } from '../../errors';
import { BrowserSession } from '../browser';
import { killProcessesUsing } from './strays';
import { OPS, type OpName, type ToChild, type ToHost } from './ops';

const SIGNALS = new Set<string | symbol>(['SIGINT', 'SIGTERM', 'SIGHUP']);
for (const signal of SIGNALS) process.on(signal as NodeJS.Signals, () => undefined);
// Remotion adds a handler per browser it opens that closes the browser on these signals.
const on = process.on.bind(process);
const keepOut = ((event: string | symbol, listener: (...args: unknown[]) => void) =>
  SIGNALS.has(event) ? process : on(event as 'message', listener)) as typeof process.on;
process.on = keepOut;
process.addListener = keepOut;

const send = (m: ToHost) => process.send?.(m);
const running = new Map<number, AbortController>();
/** Opened at the first render that needs it, then kept warm for every render after. */
const browser = new BrowserSession();

/** Everything we started (browsers live in groups of their own, found by our temp folder), then us. */
const leave = () => {
  killProcessesUsing(os.tmpdir());
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(1);
  }
};
process.on('disconnect', leave);

process.on('message', (m: ToChild) => {
  if (m.type === 'cancel') {
    running.get(m.id)?.abort(new Error('cancelled'));
    return;
  }
  const controller = new AbortController();
  running.set(m.id, controller);
  const op = OPS[m.op as OpName] as (args: unknown, c: { signal: AbortSignal; browser: BrowserSession; onProgress: (p: unknown) => void }) => Promise<unknown>;
  void op(m.args, { signal: controller.signal, browser, onProgress: (progress) => send({ type: 'progress', id: m.id, progress: progress as never }) })
    .then((result) => send({ type: 'done', id: m.id, result }))
    .catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      send({
        type: 'failed',
        id: m.id,
        error: { name: err.name, message: err.message, ...(isGenVideoError(err) ? { code: err.code, reason: err.reason } : {}) },
      });
    })
    .finally(() => running.delete(m.id));
});

send({ type: 'done', id: 0, result: 'ready' });
