import { spawn } from 'node:child_process';

/**
 * Runs ffmpeg with `-progress pipe:1`, reporting frames written; killed when `signal` aborts.
 * Rejects with the tail of its error output.
 */
export function runFfmpeg(
  ffmpeg: string,
  args: string[],
  o: { signal?: AbortSignal; onFrames?: (frames: number) => void },
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(o.signal.reason);
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    const onAbort = () => child.kill('SIGKILL');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^frame=(\d+)/.exec(line);
        if (m) o.onFrames?.(Number(m[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', (err) => {
      o.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.on('close', (code, killedBy) => {
      o.signal?.removeEventListener('abort', onAbort);
      if (o.signal?.aborted) return reject(o.signal.reason);
      if (code === 0) return resolve();
      reject(new Error(`ffmpeg exited with ${code ?? killedBy}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}
