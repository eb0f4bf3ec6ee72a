import { timerStoryMs } from '../story/story-limit.js';
import type { TargetTimings } from '../timings.js';

/**
 * How long a run's longest story is expected to last, from the target's
 * declared timings and the wait budget: the run's ETA, since every story
 * starts at once (harness/runner/run.ts) and a run lasts its longest story.
 *
 * A story's length is the waits its timers force; the longest ones are
 *  - a timer-driven transition (idle): the idle threshold, or the first
 *    timer evaluation after boot if later, then an evaluation, a delivery;
 *  - the sync-online timeout making a quiet client offline, the same way;
 *  - a "never" check watching across the server's longest periodic job,
 *    until its first run after boot (or the latest it may come) and a cycle;
 *  - an idle transition followed by the sync-online one (a story that sees
 *    both).
 * A wait longer than the budget (`--max-wait`) skips its story at once, and
 * one longer than the harness's own bound for a story (`timerStoryMs`) is not
 * applicable there (Dendrite's day-long sync-online timeout): neither holds
 * the run. Checked against the reference runs (reports/reference, 2026-12):
 * Synapse 137 s expected, 130 s seen; Dendrite --slow 625 s, 639 s; tuwunel
 * --slow 302 s, 306 s.
 */
export function expectedStoryMs(t: TargetTimings, maxWaitMs: number | null): number {
  const evaluation = t.checkIntervalMs + t.deliveryMs + t.slackMs;
  const idle = Math.max(t.idleTimeoutMs, t.firstCheckAfterMs) + evaluation;
  const offline = t.syncOnlineTimeoutMs + evaluation;
  const firstCycle = t.firstCycleAfterMs ?? t.firstCycleByMs ?? 0;
  const acrossCycles = Math.max(firstCycle, t.longestCycleMs) + t.deliveryMs + t.slackMs;
  const bound = timerStoryMs(t);
  const fits = (...waits: number[]) => waits.every((ms) => (maxWaitMs === null || ms <= maxWaitMs) && ms <= bound);
  const candidates = [
    fits(idle) ? idle : 0,
    fits(offline) ? offline : 0,
    fits(acrossCycles) ? acrossCycles : 0,
    fits(idle, offline) && idle + offline <= bound ? idle + offline : 0,
  ];
  return Math.max(...candidates) + STORY_SET_UP_MS;
}

/**
 * A story's requests around its waits (registering users, a room, syncs):
 * the reference runs end 5 to 10 s after their longest wait.
 */
export const STORY_SET_UP_MS = 10_000;
