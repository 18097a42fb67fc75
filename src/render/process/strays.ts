/**
 * Processes we started that outlived the process that owned them (a render child killed with -9
 * leaves its Chromium and ffmpeg running): found by the work folder their command lines name
 * (browser profiles, stills, graphs and Remotion's assets all live under it) and killed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';

/** Every process's pid (Linux /proc; none elsewhere). */
function allPids(): number[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

/** A /proc file of `pid`, or undefined when it is gone (or not ours to read). */
function procFile(pid: number, name: 'cmdline' | 'stat'): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return undefined;
  }
}

interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
}

/** Its state, parent and group from /proc/<pid>/stat (the name before them may hold spaces and parentheses). */
function statOf(pid: number): ProcStat | undefined {
  const stat = procFile(pid, 'stat');
  if (!stat) return undefined;
  const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid, ppid: Number(ppid), pgrp: Number(pgrp), state };
}

/** Pids of processes (not this one) whose command line mentions `dir`. */
export function processesUsing(dir: string): number[] {
  return allPids().filter((pid) => pid !== process.pid && procFile(pid, 'cmdline')?.includes(dir));
}

/**
 * The processes using `dir`, with their descendants and the members of the process groups they
 * lead: a browser's helpers (its network and storage services, which flush caches into its
 * profile as they go) do not name the folder on their command lines.
 */
function strayTree(dir: string): number[] {
  const roots = processesUsing(dir);
  if (roots.length === 0) return [];
  const table = allPids().flatMap((pid) => statOf(pid) ?? []);
  const found = new Set(roots);
  const leaders = new Set(roots.filter((pid) => table.find((p) => p.pid === pid)?.pgrp === pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table) {
      if (p.pid === process.pid || found.has(p.pid)) continue;
      if (found.has(p.ppid) || leaders.has(p.pgrp)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

const gone = (pid: number): boolean => (statOf(pid)?.state ?? 'Z') === 'Z';

/** SIGKILLs every process using `dir` (and what it started); returns their pids. */
export function killProcessesUsing(dir: string): number[] {
  const killed: number[] = [];
  for (const pid of strayTree(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // already gone
    }
  }
  return killed;
}

/**
 * Kills them, waits (at most `waitMs`) until they — and `killedBefore` — are gone, then removes
 * `dir`: a dying browser's helpers still write into its profile for a moment. Returns how many it killed.
 */
export async function killAndRemove(dir: string, o: { waitMs?: number; killedBefore?: number[] } = {}): Promise<number> {
  const killed = killProcessesUsing(dir);
  const waitFor = [...(o.killedBefore ?? []), ...killed];
  const end = Date.now() + (o.waitMs ?? 5000);
  while (!waitFor.every(gone) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  return killed.length;
}
