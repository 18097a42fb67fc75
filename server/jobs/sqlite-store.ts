/**
 * Job records in SQLite (DATA_DIR/jobs.sqlite): finished jobs still answer after a restart,
 * interrupted ones can be found and re-queued. One process owns the file (npm start).
 */
import Database from 'better-sqlite3';
import type { AddCallbackResult, JobStore } from './store';
import { isTerminal, type Job, type JobStatus } from './types';

interface Row {
  id: string;
  draft_key: string;
  status: JobStatus;
  created_at: number;
  ended_at: number | null;
  data: string;
}

export function openSqliteJobStore(file: string): JobStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS jobs (
      id TEXT PRIMARY KEY,
      draft_key TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      seq INTEGER NOT NULL DEFAULT 0,
      data TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS jobs_by_key ON jobs (draft_key, created_at, seq);
    CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status);
    CREATE TABLE IF NOT EXISTS job_callbacks (
      job_id TEXT NOT NULL,
      url TEXT NOT NULL,
      PRIMARY KEY (job_id, url)
    );
  `);
  // Older files: when each job ended (retention), and at most one active job per draft.
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(jobs)').all().map((c) => c.name);
  if (!columns.includes('ended_at')) {
    db.exec('ALTER TABLE jobs ADD COLUMN ended_at INTEGER');
    db.exec("UPDATE jobs SET ended_at = json_extract(data, '$.completedAt') WHERE status IN ('completed', 'failed')");
  }
  db.exec(`
    CREATE INDEX IF NOT EXISTS jobs_by_end ON jobs (ended_at) WHERE ended_at IS NOT NULL;
    CREATE UNIQUE INDEX IF NOT EXISTS jobs_active_key ON jobs (draft_key) WHERE status IN ('queued', 'in-progress');
  `);

  // seq orders jobs created in the same millisecond.
  const insert = db.prepare(
    `INSERT INTO jobs (id, draft_key, status, created_at, ended_at, seq, data)
     VALUES (@id, @draft_key, @status, @created_at, @ended_at, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs), @data)`,
  );
  const update = db.prepare(
    "UPDATE jobs SET status = @status, ended_at = @ended_at, data = @data WHERE id = @id AND (@run_id IS NULL OR json_extract(data, '$.runId') IS NULL OR json_extract(data, '$.runId') = @run_id)",
  );
  // A new run takes the job over: it may replace the owner.
  const takeOver = db.prepare('UPDATE jobs SET status = @status, ended_at = @ended_at, data = @data WHERE id = @id');
  const get = db.prepare<[string], Row>('SELECT * FROM jobs WHERE id = ?');
  const latest = db.prepare<[string], Row>('SELECT * FROM jobs WHERE draft_key = ? ORDER BY created_at DESC, seq DESC LIMIT 1');
  const active = db.prepare<[string], Row>("SELECT * FROM jobs WHERE draft_key = ? AND status IN ('queued', 'in-progress') LIMIT 1");
  const callbacksOf = db.prepare<[string], { url: string }>('SELECT url FROM job_callbacks WHERE job_id = ? ORDER BY rowid');
  const addCallback = db.prepare('INSERT OR IGNORE INTO job_callbacks (job_id, url) VALUES (?, ?)');
  const countCallbacks = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM job_callbacks WHERE job_id = ?');
  const endedBefore = db.prepare<[number, number], Row>('SELECT * FROM jobs WHERE ended_at IS NOT NULL AND ended_at < ? ORDER BY ended_at LIMIT ?');
  const remove = db.prepare('DELETE FROM jobs WHERE id = ?');
  const removeCallbacks = db.prepare('DELETE FROM job_callbacks WHERE job_id = ?');

  const toRow = (job: Job) => ({
    id: job.id,
    draft_key: job.draftKey,
    status: job.status,
    created_at: job.createdAt,
    ended_at: isTerminal(job) ? job.completedAt : null,
    data: JSON.stringify({ ...job, callbackUrls: [] }),
  });
  const fromRow = (row: Row | undefined): Job | undefined => {
    if (!row) return undefined;
    const job = JSON.parse(row.data) as Job;
    // Records written before callbacks had their own table keep theirs in the record.
    const urls = callbacksOf.all(row.id).map((r) => r.url);
    return { ...job, callbackUrls: [...new Set([...(job.callbackUrls ?? []), ...urls])] };
  };

  const claim = db.transaction((job: Job): { job: Job; created: boolean } => {
    const existing = fromRow(active.get(job.draftKey));
    if (existing) return { job: existing, created: false };
    insert.run(toRow(job));
    return { job, created: true };
  });
  const add = db.transaction((id: string, url: string, max: number): AddCallbackResult => {
    const job = fromRow(get.get(id));
    if (!job) return 'missing';
    if (isTerminal(job)) return 'ended';
    if (job.callbackUrls.includes(url)) return 'known';
    if (countCallbacks.get(id)!.n >= max) return 'full';
    addCallback.run(id, url);
    return 'added';
  });

  return {
    claim: async (job) => claim(job),
    get: async (id) => fromRow(get.get(id)),
    latestByKey: async (key) => fromRow(latest.get(key)),
    update: async (job) => update.run({ ...toRow(job), run_id: job.runId ?? null }).changes > 0,
    takeOver: async (job) => void takeOver.run(toRow(job)),
    addCallback: async (id, url, max) => add(id, url, max),
    byStatus: async (...statuses) =>
      db
        .prepare<string[], Row>(`SELECT * FROM jobs WHERE status IN (${statuses.map(() => '?').join(',')}) ORDER BY created_at, seq`)
        .all(...statuses)
        .map((r) => fromRow(r)!),
    count: async (...statuses) =>
      db.prepare<string[], { n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE status IN (${statuses.map(() => '?').join(',')})`).get(...statuses)!.n,
    endedBefore: async (beforeMs, limit) => endedBefore.all(beforeMs, limit).map((r) => fromRow(r)!),
    remove: async (id) => {
      remove.run(id);
      removeCallbacks.run(id);
    },
    problem: async () => null,
    close: async () => void db.close(),
  };
}
