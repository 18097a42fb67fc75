/**
 * Resident memory of this process and everything it started (Remotion runs Chromium, its
 * compositor and ffmpeg as children), sampled from /proc. Only Linux; elsewhere only this
 * process counts. The sum over-counts pages the processes share (Chromium's), so it is an
 * upper bound on what the job holds.
 */
import { readdirSync, readFileSync } from 'node:fs';

const PAGE_BYTES = 4096;
const MB = 1024 * 1024;

interface ProcStat {
  pid: number;
  ppid: number;
  rssBytes: number;
}

const readStat = (pid: number): ProcStat | null => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), rssBytes: Number(fields[21]) * PAGE_BYTES };
  } catch {
    return null; // the process ended between listing and reading
  }
};

/** RSS of `rootPid` plus all its descendants, in bytes. */
export const processTreeRssBytes = (rootPid = process.pid): number => {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return process.memoryUsage().rss;
  }
  const children = new Map<number, ProcStat[]>();
  let root: ProcStat | null = null;
  for (const pid of pids) {
    const stat = readStat(pid);
    if (!stat) continue;
    if (pid === rootPid) root = stat;
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  if (!root) return process.memoryUsage().rss;
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    total += p.rssBytes;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return total;
};

export interface MemoryPeak {
  /** Peak of the sum over the process tree. */
  treePeakMb: number;
  /** Peak of this Node process alone. */
  nodePeakMb: number;
  samples: number;
}

/** Samples the tree every `intervalMs` until stopped; children live only seconds, so sample often. */
export const startMemorySampler = (intervalMs = 250): { stop(): MemoryPeak } => {
  let treePeak = 0;
  let nodePeak = 0;
  let samples = 0;
  const sample = () => {
    treePeak = Math.max(treePeak, processTreeRssBytes());
    nodePeak = Math.max(nodePeak, process.memoryUsage().rss);
    samples++;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { treePeakMb: treePeak / MB, nodePeakMb: nodePeak / MB, samples };
    },
  };
};

export const bytesToMb = (bytes: number) => bytes / MB;
