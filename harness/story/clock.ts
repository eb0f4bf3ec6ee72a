import { ConformanceFailure } from './errors.js';

/**
 * What a wait tells the story's evidence: what it last saw, and that it is
 * waiting (so a story stopped by its time limit can say for what). The
 * story's `Recorder` (harness/story/client/recorder.ts) is one; the clock
 * names only these two calls, so it stays beneath the client that uses it.
 */
export interface WaitLog {
  observe(state: unknown): void;
  /** Notes that the story waits for `what` until `deadline`; returns the call that ends the note. */
  waiting(what: string, deadline: number): () => void;
}

export interface EventuallyOptions {
  /** Epoch ms after which the wait fails. */
  deadline: number;
  /** What is awaited, in the spec's terms; used in the failure message. */
  what: string;
  /** Pause between probes; 0 for probes that long-poll themselves. */
  intervalMs?: number;
  /** Where the last observed value is noted for the report. */
  recorder?: WaitLog;
  /** Renders an observed value for the failure message. */
  show?: (value: unknown) => string;
}

/** Milliseconds left until `deadline`, never negative. */
export function remaining(deadline: number): number {
  return Math.max(0, deadline - Date.now());
}

export function sleep(ms: number, cancel?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // Cut short when `cancel` fires (a stopped run): the story's next request then ends it.
    const done = () => {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (cancel?.aborted) done();
    else cancel?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The one polling helper: probes until `accept` holds or the deadline passes.
 * A timeout is a conformance failure whose message carries the last observed
 * value, so the report says what the server did instead.
 */
export async function eventually<T, R>(
  probe: (remainingMs: number) => Promise<T>,
  accept: (value: T) => R | undefined | false,
  options: EventuallyOptions,
): Promise<R> {
  const interval = options.intervalMs ?? 250;
  let last: T | undefined;
  let probes = 0;
  const started = Date.now();
  const done = options.recorder?.waiting(options.what, options.deadline);
  try {
    do {
      last = await probe(remaining(options.deadline));
      probes++;
      options.recorder?.observe(last);
      const verdict = accept(last);
      if (verdict !== undefined && verdict !== false) return verdict;
      if (interval > 0 && remaining(options.deadline) > 0) await sleep(Math.min(interval, remaining(options.deadline)));
    } while (Date.now() < options.deadline);
  } finally {
    done?.();
  }
  const shown = options.show ? options.show(last) : JSON.stringify(last)?.slice(0, 600);
  throw new ConformanceFailure(
    `timed out after ${Date.now() - started} ms (${probes} probes) waiting for ${options.what}; last observed: ${shown}`,
  );
}

/**
 * Checks that `violates` never holds for the whole window: the converse of
 * `eventually`, used for "must not happen before the threshold" requirements.
 */
export async function throughout<T>(
  probe: (remainingMs: number) => Promise<T>,
  violates: (value: T) => string | undefined,
  options: Omit<EventuallyOptions, 'deadline'> & { until: number },
): Promise<void> {
  const interval = options.intervalMs ?? 250;
  const done = options.recorder?.waiting(`${options.what} (a watch)`, options.until);
  try {
    while (Date.now() < options.until) {
      const value = await probe(remaining(options.until));
      options.recorder?.observe(value);
      const problem = violates(value);
      if (problem) throw new ConformanceFailure(`${options.what}: ${problem}`);
      if (interval > 0) await sleep(Math.min(interval, remaining(options.until)));
    }
  } finally {
    done?.();
  }
}
