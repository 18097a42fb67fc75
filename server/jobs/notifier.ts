/** Sends a job's callbacks when it ends, and knows which deliveries are still under way (shutdown waits for them). */
import type { Logger } from '../log';
import { deliverCallback } from './callback';
import type { Job } from './types';
import { jobView } from './view';
import { describeUrl } from '../../src/net/fetch-error';

export interface NotifierOptions {
  allowPrivateNetwork: boolean;
  allowAddresses?: readonly string[];
  timeoutSec: number;
  maxAttempts: number;
  /** For tests: the back-off between tries. */
  backoffMs?: (attempt: number) => number;
  log: Logger;
  /** Told of each delivery's outcome (metrics). */
  onOutcome?: (ok: boolean) => void;
}

export class CallbackNotifier {
  readonly #pending = new Set<Promise<unknown>>();
  readonly #stopping = new AbortController();

  constructor(private readonly o: NotifierOptions) {}

  /** POSTs the job (as GET /v1/gen_video/{id} shows it) to each URL, with retries, in the background. */
  send(job: Job, urls: readonly string[]): void {
    const body = jobView(job);
    for (const url of urls) {
      const p = deliverCallback(
        url,
        body,
        {
          allowPrivateNetwork: this.o.allowPrivateNetwork,
          allowAddresses: this.o.allowAddresses,
          timeoutMs: this.o.timeoutSec * 1000,
          maxAttempts: this.o.maxAttempts,
          backoffMs: this.o.backoffMs,
          log: (m) => this.o.log.warn(`job ${job.id}: ${m}`),
        },
        this.#stopping.signal,
      ).then((ok) => {
        this.o.onOutcome?.(ok);
        if (ok) this.o.log.info(`job ${job.id}: callback delivered to ${describeUrl(url)}`);
      });
      this.#pending.add(p);
      void p.finally(() => this.#pending.delete(p));
    }
  }

  /** Gives deliveries under way up to `ms` to finish, then stops retrying. */
  async flush(ms: number): Promise<void> {
    await Promise.race([Promise.allSettled([...this.#pending]), new Promise<void>((r) => setTimeout(r, ms).unref())]);
    this.#stopping.abort();
  }
}
