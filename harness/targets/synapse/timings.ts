import type { TargetTimings } from '../../timings.js';

/** The matrix-synapse release the embedded target provisions from PyPI. */
export const SYNAPSE_VERSION = '1.163.2';

/**
 * The presence timers the embedded Synapse is configured with; the single
 * source for both its homeserver.yaml and the deadlines the suites derive.
 * Short enough for a fast run, long enough that the idle threshold clearly
 * exceeds the `currently_active` window and the timeout loop's 5 s period.
 */
export const SYNAPSE_TIMINGS: TargetTimings = {
  idleTimeoutMs: 8_000,
  activeWindowMs: 3_000,
  syncOnlineTimeoutMs: 30_000,
  // Synapse evaluates presence timeouts every 5 s, starting 30 s after boot
  // (handlers/presence.py: call_later(30 s, looping_call(_handle_timeouts, 5 s))).
  checkIntervalMs: 5_000,
  firstCheckAfterMs: 30_000,
  deliveryMs: 5_000,
  slackMs: 2_000,
};
