import type { Exchange, PendingWait } from './client/recorder.js';
import type { TargetTimings } from '../timings.js';

/**
 * A story's time limit (vitest's `testTimeout`) is a last-resort guard, not a
 * deadline the server is judged by: each wait of a story gets its own deadline
 * from when it starts (the declared timings plus round trips measured in the
 * run, `TestServer.soon()`/`afterTimer()`), and set-up steps have their own
 * bounds (harness/story/client/setup-steps.ts). What no declared timing bounds is
 * how long a story's set-up queues on a loaded machine: 58 s for one story's
 * set-up in `npm test` on a loaded 2-core machine (issue 17), and with the limit
 * derived from the timings alone (174 s for the embedded Synapse) stories of
 * PRES-VIS-LEAVE ended "Test timed out" and went unjudged. So the limit adds a
 * fixed set-up allowance to the longest timer-driven story.
 */

/** What the limit allows for set-up steps queueing on a loaded machine, beyond the timers: about fifteen times the 58 s seen. */
export const SETUP_ALLOWANCE_MS = 15 * 60_000;

/**
 * The longest a story's waits can legitimately take on a target with these
 * timings: three timer-driven transitions after the first timer evaluation,
 * and a watch across the server's longest periodic job (after its first run,
 * when the target knows it), plus a minute of requests.
 */
export function timerStoryMs(t: TargetTimings): number {
  const firstRun = Math.max(t.firstCheckAfterMs, t.firstCycleAfterMs ?? 0);
  return firstRun + 3 * (t.idleTimeoutMs + t.checkIntervalMs + t.deliveryMs + t.slackMs) + t.longestCycleMs + 60_000;
}

/** The story time limit handed to vitest (`testTimeout`, `hookTimeout`). */
export function storyTimeLimitMs(t: TargetTimings): number {
  return timerStoryMs(t) + SETUP_ALLOWANCE_MS;
}

/** The message of vitest's own timeout error: "Test timed out in 954000ms." */
const VITEST_TIMEOUT = /^(?:Test|Hook) timed out in (\d+)ms\b/;

/** The limit vitest says it stopped a test at, if `message` is its timeout error. */
export function timedOutAfterMs(message: string | undefined): number | undefined {
  const match = VITEST_TIMEOUT.exec(message ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * One line for a story stopped by its time limit: the harness's limit, not
 * the server's fault, and what the story was waiting for (its pending waits,
 * innermost last) or, if none, its last answered request.
 */
export function describeStop(limitMs: number, waits: readonly PendingWait[], exchanges: readonly Exchange[], now = Date.now()): string {
  const head = `stopped by the harness's time limit for a story (${Math.round(limitMs / 1000)} s), not a verdict on the server`;
  const wait = waits.at(-1);
  if (wait) {
    const due = wait.deadline - now;
    const when = due >= 0 ? `its deadline ${Math.round(due / 1000)} s ahead` : `${Math.round(-due / 1000)} s past its deadline`;
    return `${head}: waiting for ${wait.what} (for ${Math.round((now - wait.since) / 1000)} s, ${when})`;
  }
  const last = exchanges.at(-1);
  if (!last) return `${head}: in its set-up, before any request was answered`;
  const ago = Math.round((now - Date.parse(last.startedAt) - last.durationMs) / 1000);
  return `${head}: not in a wait; its last answered request #${last.seq} ${last.actor} ${last.method} ${last.path.split('?')[0]} -> ${last.status}${last.setup ? ' (a set-up step)' : ''}, ${ago} s before`;
}
