// Starts the real server (`tsx server/main.ts`) as a child process and talks to it over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServerProcess {
  baseUrl: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM (graceful) and wait for the exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  /** fetch relative to the server. */
  fetch(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  post(pathAndQuery: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

export const makeDataDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'gen-video-server-'));

export interface StartOptions {
  dataDir?: string;
  port?: number;
  timeoutMs?: number;
  /** `server/worker.ts` for a farm's worker (npm run worker); default the server (npm start). */
  entry?: string;
  /** The log line that says it is ready. */
  ready?: RegExp;
}

export async function startServer(env: Record<string, string> = {}, opts: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? makeDataDir();
  const port = opts.port ?? (await freePort());
  const ready = opts.ready ?? /listening on port \d+/;
  // `node --import tsx` is what `tsx server/main.ts` (npm start) runs, minus the tsx CLI's wrapper
  // process: a SIGKILL here must really kill the server (a crash), not just the wrapper.
  const proc = spawn(process.execPath, ['--import', 'tsx', opts.entry ?? 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      ALLOW_PRIVATE_NETWORK: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const onData = (d: Buffer) => {
    out += d.toString();
    if (process.env.SERVER_LOGS) process.stderr.write(`[${opts.entry ?? 'server'} ${port}] ${d}`);
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), opts.timeoutMs ?? 60_000);
    const check = () => {
      if (ready.test(out)) {
        clearTimeout(timer);
        proc.stdout!.off('data', check);
        resolve();
      }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const fetchIt = (p: string, init?: RequestInit) => fetch(`${baseUrl}${p}`, init);
  return {
    baseUrl,
    port,
    dataDir,
    proc,
    output: () => out,
    fetch: fetchIt,
    post: (p, body, headers = {}) =>
      fetchIt(p, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
    async stop(signal = 'SIGTERM', timeoutMs = 60_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** Polls `get` until `ok` holds (every `everyMs`); fails with the last value after `ms`. */
export async function until<T>(get: () => Promise<T> | T, ok: (v: T) => boolean, ms = 60_000, what = 'condition', everyMs = 200): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what} not reached in time: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A job as `GET /v1/gen_video/{id}` shows it. */
export const jobOf = async (s: ServerProcess, id: string): Promise<any> => (await s.fetch(`/v1/gen_video/${id}`)).json();
