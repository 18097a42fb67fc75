/**
 * What keeps the disk from filling up: finished jobs (their records and videos) are removed once
 * older than RETENTION_DAYS — a removed video's URL answers 404, and the next POST of that draft
 * renders it again — and the material cache is kept under CACHE_MAX_GB by dropping the files
 * used least recently. Swept at start and then periodically.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { JobStore } from './jobs/store';
import type { Logger } from './log';
import type { VideoStorage } from './storage/types';

export interface RetentionOptions {
  log: Logger;
  /** Jobs (records and videos): absent on a farm's workers (the API nodes sweep them). */
  jobs?: { store: JobStore; storage: VideoStorage; retentionMs: number };
  /** The material cache of this node: absent on a farm's API nodes (they download nothing). */
  cache?: { dir: string; maxBytes: number; inUseMs: number };
}

/** How many ended jobs one sweep looks at per round. */
const BATCH = 200;

export async function sweepJobs(o: NonNullable<RetentionOptions['jobs']>, log: Logger, now = Date.now()): Promise<number> {
  let removed = 0;
  for (;;) {
    const old = await o.store.endedBefore(now - o.retentionMs, BATCH);
    if (old.length === 0) return removed;
    for (const job of old) {
      if (job.status === 'completed') await o.storage.remove(job.videoKey).catch((e) => log.warn(`retention: video ${job.videoKey} not removed: ${String(e)}`));
      await o.store.remove(job.id);
      removed++;
    }
    if (old.length < BATCH) return removed;
  }
}

/**
 * Drops the least recently used cache files until the cache fits; files used lately are left alone
 * (a render may be reading them). Names of one copy (hard links: URLs that brought the same bytes)
 * count once, and free it when the last of them goes.
 */
export function sweepCache(o: NonNullable<RetentionOptions['cache']>, now = Date.now()): { removed: number; bytes: number } {
  const files: { file: string; copy: string; size: number; usedMs: number }[] = [];
  const names = new Map<string, number>();
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.part')) {
        try {
          const st = statSync(p);
          const copy = `${st.dev}:${st.ino}`;
          files.push({ file: p, copy, size: st.size, usedMs: Math.max(st.atimeMs, st.mtimeMs) });
          names.set(copy, (names.get(copy) ?? 0) + 1);
        } catch {
          // gone meanwhile
        }
      }
    }
  };
  walk(o.dir);
  const sizes = new Map(files.map((f) => [f.copy, f.size]));
  let total = [...sizes.values()].reduce((a, b) => a + b, 0);
  let removed = 0;
  let bytes = 0;
  for (const f of files.sort((a, b) => a.usedMs - b.usedMs)) {
    if (total <= o.maxBytes) break;
    if (now - f.usedMs < o.inUseMs) break;
    rmSync(f.file, { force: true });
    removed++;
    const left = names.get(f.copy)! - 1;
    names.set(f.copy, left);
    if (left === 0) {
      total -= f.size;
      bytes += f.size;
    }
  }
  return { removed, bytes };
}

/** The sweeps this node does, from its settings; returns the stop function. */
export function retentionFor(
  config: { retentionDays: number; cacheMaxBytes: number; renderTimeoutSec: number; render: { cacheDir: string } },
  o: { log: Logger; jobs?: { store: JobStore; storage: VideoStorage }; cache: boolean },
): () => void {
  const retentionMs = config.retentionDays * 86_400_000;
  return startRetention(
    {
      log: o.log,
      ...(o.jobs ? { jobs: { ...o.jobs, retentionMs } } : {}),
      ...(o.cache ? { cache: { dir: config.render.cacheDir, maxBytes: config.cacheMaxBytes, inUseMs: config.renderTimeoutSec * 1000 } } : {}),
    },
    Math.min(3_600_000, Math.max(1000, retentionMs / 10)),
  );
}

/** Sweeps now and every `everyMs`; returns the stop function. */
export function startRetention(o: RetentionOptions, everyMs: number): () => void {
  const sweep = async () => {
    try {
      if (o.jobs) {
        const n = await sweepJobs(o.jobs, o.log);
        if (n) o.log.info(`retention: removed ${n} job(s) older than ${o.jobs.retentionMs / 86_400_000} day(s) with their videos`);
      }
      if (o.cache) {
        const { removed, bytes } = sweepCache(o.cache);
        if (removed) o.log.info(`retention: removed ${removed} cached material(s), ${(bytes / 1e6).toFixed(0)} MB, to keep the cache under ${(o.cache.maxBytes / 1e9).toFixed(1)} GB`);
      }
    } catch (e) {
      o.log.warn(`retention sweep failed (tried again later): ${String(e)}`);
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
