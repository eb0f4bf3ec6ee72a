/**
 * The wait budget (`--max-wait`, lifted by `--slow`): how long a story may
 * wait for any one deadline it derives from the target's declared timings. A
 * story that would wait longer is skipped as slow, with a reason of its own
 * that every report counts, instead of holding the run for minutes
 * (Dendrite's fixed 5-minute timers make some stories 10 minutes long).
 *
 * The budget judges the wait the story is about to begin (its deadline minus
 * the moment it asks), not the time the story has spent so far: set-up time
 * depends on the machine's load, and a verdict must not depend on that.
 */

import { rateLimitedReason, type RateLimitHit, type RateLimitWaits } from './client/rate-limit.js';

/** The default `--max-wait`: stories needing longer are skipped unless `--slow` is given. */
// Two and a half minutes: enough for a watch across Synapse's one-minute
// presence persistence, whose first run is two minutes after boot
// (TestServer.acrossCycles), not for Dendrite's 5-minute timers.
export const DEFAULT_MAX_WAIT_MS = 150_000;

/** The run's budget, handed to test workers through vitest's `provide` (JSON-serialisable). */
export interface WaitBudget {
  /** Longest a story may wait for one deadline; null: no limit (`--slow`). */
  maxWaitMs: number | null;
}

/** What a slow-skipped test leaves in its vitest task meta, read by the collector. */
export interface SlowMeta {
  /** How long the wait that exceeded the budget would have lasted. */
  needsMs: number;
  maxWaitMs: number;
  /** How long the story had run (set-up) when it was skipped: shows the decision came before the wait. */
  afterMs: number;
}

/**
 * What a story skipped for a rate limit leaves in its vitest task meta: the
 * limit it met and what it had already waited out (harness/story/client/rate-limit.ts).
 */
export interface RateLimitedMeta {
  /** The limit, e.g. `POST /_matrix/client/v3/login (M_LIMIT_EXCEEDED)`. */
  limit: string;
  retryAfterMs: number;
  /** Rate-limit waits the story had already made. */
  waitedMs: number;
  /** The story's budget (`--max-wait`); null with `--slow`. */
  maxWaitMs: number | null;
  afterMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    budget: WaitBudget;
  }
}

/** The skip message of a slow story; reports and the collector recognise slow skips by their meta, not this text. */
export function slowSkipReason(needsMs: number): string {
  return `slow: needs ~${Math.round(needsMs / 1000)} s; pass --slow`;
}

/**
 * The budget decision: how long a wait from `now` until `deadline` lasts,
 * when that is more than `maxWaitMs`; undefined when it fits (or there is no limit).
 */
export function overBudget(maxWaitMs: number | null, now: number, deadline: number): number | undefined {
  const needsMs = deadline - now;
  return maxWaitMs !== null && needsMs > maxWaitMs ? needsMs : undefined;
}

/**
 * One story's budget. Every deadline the story gets from its `TestServer`
 * passes through `admit`, so the deadline the budget judges is, by
 * construction, the deadline the story then waits for: there is no second,
 * hand-written estimate that could drift from it.
 */
export class StoryBudget implements RateLimitWaits {
  /** A budget that admits everything (for `TestServer`s made outside the runner). */
  static readonly unlimited = new StoryBudget(null, () => {
    throw new Error('unreachable: an unlimited budget never skips');
  });

  /**
   * @param maxWaitMs the run's `--max-wait`, or null for `--slow`
   * @param skipAsSlow ends the story as skipped (vitest's `context.skip`, after noting the meta); never returns
   */
  private readonly startedAt = Date.now();
  /** Rate-limit waits admitted so far: together they stay within the budget. */
  private rateLimitWaitedMs = 0;

  constructor(
    readonly maxWaitMs: number | null,
    private readonly skipAsSlow: (slow: SlowMeta, reason: string) => never,
    /** Ends the story as skipped for a rate limit (after noting the meta); never returns. Absent: as slow. */
    private readonly skipAsRateLimited?: (meta: RateLimitedMeta, reason: string) => never,
  ) {}

  /**
   * Admits waiting out a rate limit when the story's rate-limit waits, this
   * one included, stay within the budget; otherwise skips the story,
   * "rate-limited: <limit>, retry after N s" (never a failure: the limit is
   * the deployment's choice, not a presence behaviour).
   */
  admitRateLimitWait(hit: RateLimitHit): void {
    const total = this.rateLimitWaitedMs + hit.retryAfterMs;
    if (this.maxWaitMs !== null && total > this.maxWaitMs) this.skipForRateLimit(hit, total);
    this.rateLimitWaitedMs = total;
  }

  /**
   * Ends the story as not checked because of `hit`: a wait it could not
   * afford, or a premise the limit broke (a user who must stay active cannot
   * act often enough: harness/story/presence/activity.ts). Never returns.
   */
  skipForRateLimit(hit: RateLimitHit, needsMs = hit.retryAfterMs): never {
    const meta: RateLimitedMeta = { limit: hit.limit, retryAfterMs: hit.retryAfterMs, waitedMs: this.rateLimitWaitedMs, maxWaitMs: this.maxWaitMs, afterMs: Date.now() - this.startedAt };
    const reason = rateLimitedReason(hit);
    if (this.skipAsRateLimited) this.skipAsRateLimited(meta, reason);
    return this.skipAsSlow({ needsMs, maxWaitMs: meta.maxWaitMs ?? needsMs, afterMs: meta.afterMs }, reason);
  }

  /** Returns `deadline` when waiting for it from now stays within the budget; otherwise skips the story as slow. */
  admit(deadline: number): number {
    const now = Date.now();
    const needsMs = overBudget(this.maxWaitMs, now, deadline);
    if (needsMs !== undefined) this.skipAsSlow({ needsMs, maxWaitMs: this.maxWaitMs!, afterMs: now - this.startedAt }, slowSkipReason(needsMs));
    return deadline;
  }
}
