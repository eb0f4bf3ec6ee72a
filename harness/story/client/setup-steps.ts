/**
 * How the harness's set-up steps (registration, logging a second device in,
 * creating and joining rooms, inviting) stay steady on a slow server: they
 * queue for a few slots instead of piling onto the server, each attempt gets
 * a long timeout, and the safe ones are retried with back-off inside a
 * budget. A slow server then delays a story instead of erroring it
 * (docs/decisions/0006-steady-under-slowness.md).
 *
 * None of this applies to the requests a story judges (a presence PUT, GET
 * or /sync whose answer is the verdict): those are sent once, as before.
 */

import { sleep } from '../clock.js';

/**
 * Limits of a set-up step, in ms. A refused connection is never retried:
 * nothing listens (the server stopped or died), and waiting two minutes
 * would only delay the run's end and hide the cause.
 */
export const SETUP = {
  /**
   * One attempt's headers and body timeout. Synapse hashes a password with
   * bcrypt at its default cost in about 0.25 s of CPU; 30 registrations at
   * once on 2 busy cores took more than the ordinary 15 s.
   */
  attemptTimeoutMs: 60_000,
  /** No new attempt starts after this long since the step's first one (below the suites' test timeout). */
  budgetMs: 120_000,
  /** Back-off before the second attempt; doubled for each further one, up to `maxBackoffMs`. */
  firstBackoffMs: 500,
  maxBackoffMs: 8_000,
} as const;

/**
 * Answers that say "not now" rather than "no", from the server or a reverse
 * proxy in front of it. Retried only on requests that are safe to repeat.
 */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * How many set-up requests a run has in flight at most. Module state is per
 * thread, and a run's suites all run in one vitest worker thread
 * (docs/decisions/0007-one-worker-for-the-suites.md), so this one
 * semaphore bounds the whole run.
 */
export const RUN_SETUP_CONCURRENCY = 8;

/** A counting semaphore; first come, first served. */
export class Slots {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Runs `work` once a slot is free, and frees it when `work` settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inUse >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inUse++;
    try {
      return await work();
    } finally {
      this.inUse--;
      this.drain();
    }
  }

  private drain(): void {
    while (this.inUse < this.limit && this.waiting.length > 0) {
      this.inUse++;
      this.waiting.shift()!();
    }
  }
}

/** The run's set-up slots (its one worker thread's). */
export const setupSlots = new Slots(RUN_SETUP_CONCURRENCY);

/** The pause before attempt `attempt + 1` (attempt 0 is the first). */
export function backoffMs(attempt: number): number {
  return Math.min(SETUP.maxBackoffMs, SETUP.firstBackoffMs * 2 ** attempt);
}

/**
 * What one attempt of a retried step came to: done, or worth another try;
 * `giveUp` says what the step ends with when no further attempt fits the
 * budget (the last answer, or a throw of the last failure).
 */
export type Attempt<T> = { done: T } | { giveUp: (attempts: string) => T };

/**
 * Runs `attempt` until it is done, backing off between attempts, while a new
 * attempt can still start within `SETUP.budgetMs` and `cancel` (the test's
 * signal: its timeout, an interrupted run) has not fired; then ends with the
 * last attempt's `giveUp`, told how many attempts were made over how long.
 * Every attempt's exchanges stay in the recorder: a retry hides nothing from
 * the evidence.
 */
export async function retryStep<T>(attempt: (n: number) => Promise<Attempt<T>>, options: { cancel?: AbortSignal; sleep?: (ms: number, cancel?: AbortSignal) => Promise<void> } = {}): Promise<T> {
  const { cancel, sleep: wait = sleep } = options;
  const started = Date.now();
  for (let n = 0; ; n++) {
    const outcome = await attempt(n);
    if ('done' in outcome) return outcome.done;
    const pause = backoffMs(n);
    if (cancel?.aborted || Date.now() + pause - started > SETUP.budgetMs) {
      return outcome.giveUp(`${n + 1} attempt${n ? 's' : ''} over ${Math.round((Date.now() - started) / 1000)} s${cancel?.aborted ? ', then the test was cancelled' : ''}`);
    }
    await wait(pause, cancel);
  }
}

