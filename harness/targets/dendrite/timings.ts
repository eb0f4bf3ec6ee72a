import type { TargetTimings } from '../../timings.js';

/** The matrix-org/dendrite release the embedded target builds (the module's last one). */
export const DENDRITE_VERSION = '0.13.8';

/**
 * Dendrite's presence timers. None is configurable: each number below is a
 * constant in Dendrite v0.13.8's code, cited by file and function (paths in
 * the module github.com/matrix-org/dendrite). harness/targets/dendrite/README.md says
 * what they mean for a client; the suites' verdicts are explained against it.
 */
export const DENDRITE_TIMINGS: TargetTimings = {
  // syncapi/sync/requestpool.go, cleanPresence(db, time.Minute*5): a user
  // whose entry in the sync request pool's presence map is older than
  // cleanupTime (5 min) is set unavailable. Only users who have /synced are
  // in that map (updatePresenceInternal stores them); a PUT never is.
  idleTimeoutMs: 300_000,
  // syncapi/types/presence.go, PresenceInternal.CurrentlyActive:
  // time.Since(LastActiveTS).Minutes() < 5, computed when a response is built
  // (syncapi/streams/stream_presence.go: IncrementalSync; clientapi/routing/
  // presence.go: GetPresence).
  activeWindowMs: 300_000,
  // No timer makes a quiet user offline: a client that stops syncing stays
  // online until cleanPresence makes it unavailable (above) and stays so.
  // The 10 s presenceTimeout in requestpool.go (updatePresenceInternal) only
  // arbitrates between devices' set_presence values. "Never" declared as a
  // day: longer than any wait the suite derives, and still a valid timer delay.
  syncOnlineTimeoutMs: 86_400_000,
  // cleanPresence ranges over the map, then time.Sleep(cleanupTime): 5 min.
  checkIntervalMs: 300_000,
  // cleanPresence's first pass runs as soon as the sync API starts
  // (NewRequestPool: go rp.cleanPresence(...), loop body before the sleep).
  firstCheckAfterMs: 0,
  // The only periodic presence job found is cleanPresence (above), every 5 min.
  longestCycleMs: 300_000,
  firstCycleAfterMs: 0,
  // Presence reaches /sync synchronously (requestpool.go: EmitPresence after
  // a sync; syncapi/consumers/presence.go: onMessage for a PUT via NATS), but
  // a state asked for by /sync?set_presence= waits out presenceTimeout
  // (requestpool.go, 10 s): "online" seen from the user in the last 10 s wins
  // over "unavailable", and "unavailable" over "offline", whichever device
  // sent it. So a change made through /sync may take 10 s plus the next sync.
  deliveryMs: 12_000,
  // Loopback latency on a loaded machine, plus the idle loop's drift (each
  // pass takes some ms before its 5-minute sleep).
  slackMs: 3_000,
};
