import type { TargetTimings } from '../../timings.js';

/** The matrix-synapse release the embedded target provisions from PyPI. */
export const SYNAPSE_VERSION = '1.163.2';

/**
 * The presence timers the embedded Synapse is configured with; the single
 * source for both its homeserver.yaml and the deadlines the suites derive.
 * Short enough for a fast run. The idle threshold must exceed the
 * `currently_active` window plus check interval, slack and delivery (3 + 5 +
 * 2 + 5 = 15 s), or a server that never expires `currently_active` would hide
 * behind the idle transition (PRES-CA-EXPIRES accepts either). A quiet client
 * must be seen idle before it counts as disconnected, hence the sync-online
 * timeout well above the idle deadline.
 */
export const SYNAPSE_TIMINGS: TargetTimings = {
  idleTimeoutMs: 16_000,
  activeWindowMs: 3_000,
  syncOnlineTimeoutMs: 45_000,
  // Synapse evaluates presence timeouts every 5 s, starting 30 s after boot
  // (handlers/presence.py: call_later(30 s, looping_call(_handle_timeouts, 5 s))).
  checkIntervalMs: 5_000,
  firstCheckAfterMs: 30_000,
  // Synapse writes the presence changes it did not notify (such as a last
  // active time moving while currently_active) to the presence stream every
  // minute, first two minutes after boot (handlers/presence.py:
  // call_later(1 min, looping_call(_persist_unpersisted_changes, 1 min)), the
  // looping call's first run one interval after it starts; seen in the log as
  // "Persisting N unpersisted presence updates"), and the new stream
  // positions send them to roommates' /sync.
  longestCycleMs: 60_000,
  firstCycleAfterMs: 120_000,
  deliveryMs: 5_000,
  slackMs: 2_000,
};
