/**
 * Renders run in child processes, one per render slot, kept warm between jobs. A render that
 * runs out of memory or crashes takes only its process down (the job fails with a clear reason
 * and the next render gets a fresh process); a browser or an ffmpeg left behind by it is killed;
 * signals sent to the server do not reach the renders, so a graceful stop can let them finish.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenVideoError, type ErrorCode } from '../../errors';
import type { RenderProgress } from '../types';
import type { OpArgs, OpName, OpResult, ToChild, ToHost } from './ops';
import { killAndRemove, killProcessesUsing } from './strays';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.ts');
/** A cancelled render that does not stop within this is killed. */
const CANCEL_GRACE_MS = 10_000;

export interface RenderProcessOptions {
  /** Each process gets a temp folder of its own under here (browser profiles, Remotion's assets). */
  workDir: string;
  /** V8 heap limit of a render process (a draft that needs more fails alone); default Node's. */
  maxHeapMb?: number;
  log?: (message: string) => void;
}

interface Call {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  onProgress?: (p: RenderProgress) => void;
}

/** One render process; started on first use, started again after it died. */
export class RenderProcess {
  #child?: ChildProcess;
  #ready?: Promise<void>;
  #tmp?: string;
  #calls = new Map<number, Call>();
  #nextId = 1;
  /** The last exit's clean-up (its strays killed, its temp folder removed). */
  #cleanup: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: RenderProcessOptions) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  #start(): Promise<void> {
    if (this.#ready) return this.#ready;
    mkdirSync(this.o.workDir, { recursive: true });
    const tmp = mkdtempSync(path.join(this.o.workDir, 'process-'));
    const child = fork(CHILD, [], {
      // Its own process group: a signal to the server's group (Ctrl-C, kill of the group) is the
      // server's to handle; the whole group is killed when it must go.
      detached: true,
      execArgv: ['--import', import.meta.resolve('tsx'), ...(this.o.maxHeapMb ? [`--max-old-space-size=${this.o.maxHeapMb}`] : [])],
      // Remotion's browser profiles and assets land in os.tmpdir(): ours, found and cleaned by path.
      env: { ...process.env, TMPDIR: tmp },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child = child;
    this.#tmp = tmp;
    this.#ready = new Promise<void>((resolve, reject) => {
      const onFirst = (m: ToHost) => {
        if (m.type === 'done' && m.id === 0) {
          child.off('message', onFirst);
          resolve();
        }
      };
      child.on('message', onFirst);
      child.once('exit', (code, signal) => reject(new Error(`render process exited at start (${signal ?? code})`)));
    });
    this.#ready.catch(() => undefined);
    child.on('message', (m: ToHost) => this.#onMessage(m));
    child.once('exit', (code, signal) => this.#onExit(child, tmp, code, signal));
    return this.#ready;
  }

  #onMessage(m: ToHost): void {
    const call = this.#calls.get(m.id);
    if (!call) return;
    if (m.type === 'progress') return call.onProgress?.(m.progress);
    this.#calls.delete(m.id);
    if (m.type === 'done') return call.resolve(m.result);
    const e = m.error;
    call.reject(e.code ? new GenVideoError(e.code as ErrorCode, e.reason) : Object.assign(new Error(e.message), { name: e.name }));
  }

  #onExit(child: ChildProcess, tmp: string, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#child === child) {
      this.#child = undefined;
      this.#ready = undefined;
    }
    // What it started in groups of their own (Chromium) would otherwise run on.
    const strays = killProcessesUsing(tmp);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group is gone
    }
    this.#cleanup = killAndRemove(tmp, { killedBefore: strays });
    const why = signal === 'SIGKILL' || code === 134 || code === 137 ? ' (out of memory, or killed)' : '';
    if (this.#calls.size > 0 || strays.length > 0) {
      this.o.log?.(`render process ${child.pid} exited (${signal ?? `code ${code}`})${strays.length ? `; killed ${strays.length} process(es) it left` : ''}`);
    }
    for (const [id, call] of this.#calls) {
      this.#calls.delete(id);
      call.reject(new GenVideoError('RENDER_FAILED', `the render process stopped unexpectedly (${signal ?? `exit code ${code}`})${why}`));
    }
  }

  /** Runs one stage in the process; `signal` cancels it (and kills the process if it will not stop). */
  async run<K extends OpName>(op: K, args: OpArgs<K>, o: { signal?: AbortSignal; onProgress?: (p: RenderProgress) => void } = {}): Promise<OpResult<K>> {
    o.signal?.throwIfAborted();
    await this.#start();
    const child = this.#child!;
    const id = this.#nextId++;
    const result = new Promise<unknown>((resolve, reject) => this.#calls.set(id, { resolve, reject, onProgress: o.onProgress }));
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.send({ type: 'cancel', id } satisfies ToChild);
      killTimer = setTimeout(() => this.kill(), CANCEL_GRACE_MS);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      child.send({ type: 'run', id, op, args } satisfies ToChild);
      return (await result) as OpResult<K>;
    } catch (e) {
      if (o.signal?.aborted) throw o.signal.reason;
      throw e;
    } finally {
      clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Kills the process and everything it started, now. */
  kill(): void {
    const child = this.#child;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }

  /** Stops the process (a running stage fails) and waits until it is gone. */
  async close(): Promise<void> {
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      this.kill();
      await gone;
    }
    await this.#cleanup;
  }
}

/**
 * `size` render processes: a render waits for a free one (the render slots). Waiting is FIFO.
 */
export class RenderProcessPool {
  readonly #free: RenderProcess[];
  readonly #all: RenderProcess[];
  readonly #waiting: ((p: RenderProcess) => void)[] = [];

  constructor(
    readonly size: number,
    o: RenderProcessOptions,
  ) {
    this.#all = Array.from({ length: size }, () => new RenderProcess(o));
    this.#free = [...this.#all];
  }

  get busy(): number {
    return this.size - this.#free.length;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `work` with a process of its own; resolves when one was free and the work ended. */
  async with<T>(work: (p: RenderProcess) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const proc = await this.#acquire(signal);
    try {
      return await work(proc);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(proc);
      else this.#free.push(proc);
    }
  }

  #acquire(signal?: AbortSignal): Promise<RenderProcess> {
    signal?.throwIfAborted();
    const free = this.#free.shift();
    if (free) return Promise.resolve(free);
    return new Promise((resolve, reject) => {
      const take = (p: RenderProcess) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(p);
      };
      const onAbort = () => {
        const i = this.#waiting.indexOf(take);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(take);
    });
  }

  /** Resolves when no process is in use. */
  async idle(): Promise<void> {
    while (this.busy > 0) await new Promise((r) => setTimeout(r, 50));
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((p) => p.close()));
  }

  /** Synchronous last resort (process 'exit'): kill every render process group. */
  killAll(): void {
    for (const p of this.#all) p.kill();
  }
}
