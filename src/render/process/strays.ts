/**
 * Processes we started that outlived the process that owned them (a render child killed with -9
 * leaves its Chromium and ffmpeg running): found by the work folder their command lines name
 * (browser profiles, stills, graphs and Remotion's assets all live under it) and killed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';

/** Pids of processes (not this one) whose command line mentions `dir`. Linux /proc; none elsewhere. */
export function processesUsing(dir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(dir)) found.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** SIGKILLs every process whose command line mentions `dir`; returns how many. */
export function killProcessesUsing(dir: string): number {
  let killed = 0;
  for (const pid of processesUsing(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}

/**
 * Kills them, waits (at most `waitMs`) until they are gone, then removes `dir`: a dying browser
 * still writes its profile for a moment.
 */
export async function killAndRemove(dir: string, waitMs = 5000): Promise<number> {
  const killed = killProcessesUsing(dir);
  const end = Date.now() + waitMs;
  while (killed > 0 && processesUsing(dir).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  return killed;
}
