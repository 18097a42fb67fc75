/**
 * Memory and CPU of this process and everything it started (Remotion runs Chromium, its
 * compositor and ffmpeg as children), sampled from /proc. Linux only; elsewhere only this process
 * counts.
 *
 * - RSS is summed over the tree; pages the processes share (Chromium's) count more than once, so
 *   the sum is an upper bound on what the job holds.
 * - CPU: wall time depends on what else runs on a shared machine, CPU time much less. Children's
 *   CPU cannot come from our cutime: Chromium's helpers are orphaned when the browser is killed and
 *   never reaped by us. So each child's utime + stime is sampled; what a child spends after its
 *   last sample is missed, which makes the figure a lower bound.
 */
import { readdirSync, readFileSync } from 'node:fs';

const PAGE_BYTES = 4096;
/** Clock ticks per second of utime/stime: USER_HZ, 100 on every Linux that matters. */
const TICKS_PER_SEC = 100;
const MB = 1024 * 1024;

interface ProcStat {
  ppid: number;
  /** Start time in ticks since boot: with the pid, names a process even when pids are reused. */
  startTicks: number;
  cpuTicks: number;
  rssBytes: number;
}

const readStat = (pid: number): ProcStat | null => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    // f[0] is field 3 of proc(5): ppid 4, utime 14, stime 15, starttime 22, rss 24.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(f[1]),
      cpuTicks: Number(f[11]) + Number(f[12]),
      startTicks: Number(f[19]),
      rssBytes: Number(f[21]) * PAGE_BYTES,
    };
  } catch {
    return null; // ended between listing and reading
  }
};

export interface TreeSample {
  /** Peak of the RSS summed over the tree. */
  treePeakMb: number;
  /** Peak RSS of this Node process alone. */
  nodePeakMb: number;
  /** CPU seconds of this process (exact) plus its descendants (sampled, a lower bound). */
  cpuSec: number;
  samples: number;
}

/** Samples the tree every `intervalMs` until stopped. Children live for seconds: sample often. */
export const startTreeSampler = (intervalMs = 250): { stop(): TreeSample } => {
  const root = process.pid;
  // A process outside the tree never enters it (a new child has a new pid), so it is read once:
  // this keeps a sample to the tree's own few dozen files.
  const outside = new Set<number>();
  const childCpuTicks = new Map<string, number>();
  const cpuAtStart = process.cpuUsage();
  let treePeak = 0;
  let nodePeak = 0;
  let samples = 0;

  const sample = () => {
    samples++;
    nodePeak = Math.max(nodePeak, process.memoryUsage().rss);
    let pids: number[];
    try {
      pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
    } catch {
      treePeak = Math.max(treePeak, process.memoryUsage().rss);
      return;
    }
    const stats = new Map<number, ProcStat>();
    for (const pid of pids) {
      if (outside.has(pid)) continue;
      const stat = readStat(pid);
      if (stat) stats.set(pid, stat);
    }
    const member = new Map<number, boolean>([[root, true]]);
    const inTree = (pid: number): boolean => {
      const known = member.get(pid);
      if (known !== undefined) return known;
      const stat = stats.get(pid);
      member.set(pid, false); // guards against a cycle while the parent chain is walked
      const result = stat !== undefined && pid > 1 && inTree(stat.ppid);
      member.set(pid, result);
      return result;
    };
    let rss = 0;
    for (const [pid, stat] of stats) {
      if (!inTree(pid)) {
        outside.add(pid);
        continue;
      }
      rss += stat.rssBytes;
      if (pid !== root) childCpuTicks.set(`${pid}@${stat.startTicks}`, stat.cpuTicks);
    }
    treePeak = Math.max(treePeak, rss || process.memoryUsage().rss);
  };

  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const own = process.cpuUsage(cpuAtStart);
      const childTicks = [...childCpuTicks.values()].reduce((a, b) => a + b, 0);
      return {
        treePeakMb: treePeak / MB,
        nodePeakMb: nodePeak / MB,
        cpuSec: (own.user + own.system) / 1e6 + childTicks / TICKS_PER_SEC,
        samples,
      };
    },
  };
};

/** CPU seconds of the children this process has reaped (cutime + cstime): exact for a child
 * that has no children of its own, such as the floor's ffmpeg. */
export const reapedChildrenCpuSec = (): number => {
  try {
    const text = readFileSync('/proc/self/stat', 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / TICKS_PER_SEC;
  } catch {
    return Number.NaN;
  }
};

export const bytesToMb = (bytes: number) => bytes / MB;
