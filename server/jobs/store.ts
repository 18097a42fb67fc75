/**
 * Job records in SQLite (DATA_DIR/jobs.sqlite): finished jobs still answer after a restart,
 * interrupted ones can be found and re-queued.
 */
import Database from 'better-sqlite3';
import type { Job, JobStatus } from './types';

export interface JobStore {
  insert(job: Job): void;
  update(job: Job): void;
  get(id: string): Job | undefined;
  /** The most recent job of a draft. */
  latestByKey(draftKey: string): Job | undefined;
  byStatus(...statuses: JobStatus[]): Job[];
  close(): void;
}

interface Row {
  id: string;
  draft_key: string;
  status: JobStatus;
  created_at: number;
  data: string;
}

export function openJobStore(file: string): JobStore {
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
  `);

  // seq orders jobs created in the same millisecond.
  const insert = db.prepare(
    `INSERT INTO jobs (id, draft_key, status, created_at, seq, data)
     VALUES (@id, @draft_key, @status, @created_at, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs), @data)`,
  );
  const update = db.prepare('UPDATE jobs SET status = @status, data = @data WHERE id = @id');
  const get = db.prepare<[string], Row>('SELECT * FROM jobs WHERE id = ?');
  const latest = db.prepare<[string], Row>('SELECT * FROM jobs WHERE draft_key = ? ORDER BY created_at DESC, seq DESC LIMIT 1');

  const toRow = (job: Job) => ({
    id: job.id,
    draft_key: job.draftKey,
    status: job.status,
    created_at: job.createdAt,
    data: JSON.stringify(job),
  });
  const fromRow = (row: Row | undefined): Job | undefined => (row ? (JSON.parse(row.data) as Job) : undefined);

  return {
    insert: (job) => void insert.run(toRow(job)),
    update: (job) => void update.run(toRow(job)),
    get: (id) => fromRow(get.get(id)),
    latestByKey: (key) => fromRow(latest.get(key)),
    byStatus: (...statuses) => {
      const rows = db
        .prepare<string[], Row>(`SELECT * FROM jobs WHERE status IN (${statuses.map(() => '?').join(',')}) ORDER BY created_at, seq`)
        .all(...statuses);
      return rows.map((r) => fromRow(r)!);
    },
    close: () => db.close(),
  };
}
