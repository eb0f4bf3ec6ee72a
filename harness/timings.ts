/**
 * The presence timers a target declares. Every wait in the suites is derived
 * from these plus slack; nothing assumes the spec's example of 5 minutes.
 */
export interface TargetTimings {
  /** Idle threshold: an online user whose last activity is older becomes `unavailable`. */
  idleTimeoutMs: number;
  /** How long after activity a user counts as `currently_active` (Synapse: `last_active_granularity`). */
  activeWindowMs: number;
  /** How long a user who stops syncing stays online before being made offline. */
  syncOnlineTimeoutMs: number;
  /** How often the server evaluates these timers. */
  checkIntervalMs: number;
  /** Delay after server start before the first timer evaluation (Synapse: 30 s). */
  firstCheckAfterMs: number;
  /**
   * The period of the server's longest periodic presence job (Synapse
   * persists presence changes every 60 s, and persisting re-sends them): a
   * check that something never happens watches at least this long, so that
   * every periodic job of the server runs within it (`TestServer.acrossCycles`).
   */
  longestCycleMs: number;
  /**
   * When that job first runs, after server start (Synapse: 2 min), if the
   * target knows; absent when its phase is unknown (a url target), and a
   * watch then lasts a whole cycle from wherever it starts.
   */
  firstCycleAfterMs?: number;
  /** How long a presence change may take to reach a roommate's /sync. */
  deliveryMs: number;
  /** Allowance for request latency and clock granularity, added to every deadline. */
  slackMs: number;
}

/** The spec's example values, used for `--target url` unless flags override them. */
export const SPEC_EXAMPLE_TIMINGS: TargetTimings = {
  idleTimeoutMs: 300_000,
  activeWindowMs: 60_000,
  syncOnlineTimeoutMs: 30_000,
  checkIntervalMs: 5_000,
  firstCheckAfterMs: 0,
  longestCycleMs: 5_000,
  deliveryMs: 10_000,
  slackMs: 3_000,
};

/**
 * The timings of a target whose timers someone else declares (the user's
 * flags, an image's label): the layers in order, later ones winning, over
 * the spec's example values. The longest cycle defaults to the check
 * interval when no layer names it.
 */
export function completeTimings(...layers: ReadonlyArray<Partial<TargetTimings>>): TargetTimings {
  const timings: TargetTimings = { ...SPEC_EXAMPLE_TIMINGS };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer) as Array<[keyof TargetTimings, number | undefined]>) {
      if (value !== undefined) timings[key] = value;
    }
  }
  if (!layers.some((layer) => layer.longestCycleMs !== undefined)) timings.longestCycleMs = timings.checkIntervalMs;
  return timings;
}

/** Deadline (epoch ms) by which a timer-driven transition must have been observed. */
export function timerDeadline(
  timings: TargetTimings,
  serverStartedAt: number,
  lastActivityAt: number,
  thresholdMs: number,
): number {
  const due = lastActivityAt + thresholdMs;
  const firstCheck = serverStartedAt + timings.firstCheckAfterMs;
  return Math.max(due, firstCheck) + timings.checkIntervalMs + timings.slackMs;
}
