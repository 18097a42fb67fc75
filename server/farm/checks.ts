/**
 * Combinations a farm cannot work with, found at start (a node that cannot work refuses to start,
 * with exit code 2 and the reason, instead of losing jobs later).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';

export class FarmStartError extends Error {}

/**
 * STORAGE=local in a farm: API nodes serve the videos workers wrote, so every node must see the
 * same DATA_DIR. The first node leaves a mark in Redis and in DATA_DIR; a node whose DATA_DIR
 * lacks the farm's mark is on another disk.
 */
export async function checkSharedDataDir(redis: Redis, dataDir: string): Promise<void> {
  const file = path.join(dataDir, 'farm-id');
  const mine = existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  const farm = await redis.get('gv:farm:data-dir-id');
  if (farm && mine === farm) return;
  if (farm) {
    throw new FarmStartError(
      `STORAGE=local in a farm needs one DATA_DIR shared by every node (one host, or a shared volume): DATA_DIR ${dataDir} here ${mine ? 'belongs to another farm' : 'is not the one the other nodes use'} (no ${file} with this farm's id). Share the folder, or use STORAGE=s3.`,
    );
  }
  const id = mine ?? randomUUID();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${id}\n`);
  await redis.set('gv:farm:data-dir-id', id, 'NX');
  if ((await redis.get('gv:farm:data-dir-id')) !== id) return checkSharedDataDir(redis, dataDir);
}

/**
 * A worker's name is its own while it runs (its work folder is DATA_DIR/tmp/<name>): a second
 * running worker with the same name is refused; the lock of one that died (same host, its process
 * gone) is taken over at once.
 */
export async function claimNodeName(redis: Redis, name: string): Promise<() => void> {
  const key = `gv:node:${name}`;
  const me = `${os.hostname()}:${process.pid}`;
  const TTL_MS = 30_000;
  for (let tries = 0; tries < 3; tries++) {
    if (await redis.set(key, me, 'PX', TTL_MS, 'NX')) {
      const timer = setInterval(() => void redis.set(key, me, 'PX', TTL_MS).catch(() => undefined), TTL_MS / 3);
      timer.unref();
      return () => {
        clearInterval(timer);
        void redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, key, me).catch(() => undefined);
      };
    }
    const holder = (await redis.get(key)) ?? '';
    const [host, pid] = holder.split(':');
    if (host === os.hostname() && !alive(Number(pid))) {
      await redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, key, holder);
      continue;
    }
    throw new FarmStartError(`NODE_NAME ${name} is in use by a running worker (${holder}): give each worker on a host its own NODE_NAME`);
  }
  throw new FarmStartError(`NODE_NAME ${name}: could not take its lock`);
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
