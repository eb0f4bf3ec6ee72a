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
   * target knows; then every `longestCycleMs`. Absent when its phase is
   * unknown (a url target, an image without labels): see `firstCycleByMs`.
   */
  firstCycleAfterMs?: number;
  /**
   * Where the phase is unknown: the latest that job may first run, counted
   * from `startedAt` (the run's start for a url target, the container's for
   * docker), since the server may have just booted; after it, the phase stays
   * unknown. `--first-cycle-by`; `completeTimings` defaults it to
   * FIRST_CYCLE_BY_CYCLES x `longestCycleMs`
   * (docs/decisions/0011-unknown-cycle-phase.md). 0: the server has been up
   * long enough that only its steady cycle matters.
   */
  firstCycleByMs?: number;
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
 * Where nothing declares when the longest periodic job first runs: it may
 * come as late as this many cycles after boot. A job started with the server
 * runs within one cycle; one started after a delay of a cycle (Synapse's
 * persistence: `call_later(1 min, looping_call(..., 1 min))`) within two.
 */
export const FIRST_CYCLE_BY_CYCLES = 2;

/**
 * The timings of a target whose timers someone else declares (the user's
 * flags, an image's label): the layers in order, later ones winning, over
 * the spec's example values. The longest cycle defaults to the check
 * interval when no layer names it; when no layer says when it first runs
 * (`firstCycleAfterMs` or `firstCycleByMs`), the server is assumed to have
 * just booted, its first run due within FIRST_CYCLE_BY_CYCLES cycles.
 */
export function completeTimings(...layers: ReadonlyArray<Partial<TargetTimings>>): TargetTimings {
  const timings: TargetTimings = { ...SPEC_EXAMPLE_TIMINGS };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer) as Array<[keyof TargetTimings, number | undefined]>) {
      if (value !== undefined) timings[key] = value;
    }
  }
  if (!layers.some((layer) => layer.longestCycleMs !== undefined)) timings.longestCycleMs = timings.checkIntervalMs;
  if (timings.firstCycleAfterMs === undefined && timings.firstCycleByMs === undefined) {
    timings.firstCycleByMs = FIRST_CYCLE_BY_CYCLES * timings.longestCycleMs;
  }
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

/**
 * What a run assumes about the target's timers that nobody declared: the
 * phase of its longest periodic job, when unknown. One line each, for
 * results.json (`target.assumptions`), the console and summary.md.
 */
export function timingAssumptions(timings: TargetTimings): string[] {
  const { firstCycleAfterMs, firstCycleByMs, longestCycleMs } = timings;
  if (firstCycleAfterMs !== undefined || firstCycleByMs === undefined) return [];
  const s = (ms: number) => `${+(ms / 1000).toFixed(1)} s`;
  if (firstCycleByMs === 0) {
    return [`the phase of the server's longest periodic presence job (every ${s(longestCycleMs)}) is unknown and its first run after boot is taken as past (--first-cycle-by 0): checks that something never happens watch one whole cycle`];
  }
  return [
    `the phase of the server's longest periodic presence job (every ${s(longestCycleMs)}) is unknown: it may have just booted and first run that job up to ${s(firstCycleByMs)} after the run started (--first-cycle-by), so checks that something never happens watch until then, and at least one whole cycle`,
  ];
}
