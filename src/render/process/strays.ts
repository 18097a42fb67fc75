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

interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
}

/** Every process's parent, group and state, from /proc/<pid>/stat (its name may hold spaces and parentheses). */
function processTable(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const table: ProcStat[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.push({ pid: Number(name), ppid: Number(ppid), pgrp: Number(pgrp), state });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/**
 * The processes using `dir`, with their descendants and the members of the process groups they
 * lead: a browser's helpers (its network and storage services, which flush caches into its
 * profile as they go) do not name the folder on their command lines.
 */
function strayTree(dir: string): number[] {
  const roots = processesUsing(dir);
  if (roots.length === 0) return [];
  const table = processTable();
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

const gone = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
};

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
