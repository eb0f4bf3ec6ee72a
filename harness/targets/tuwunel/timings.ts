import type { TargetTimings } from '../../timings.js';

/**
 * The two presence settings of tuwunel's config the embedded target sets
 * (tuwunel.toml: presence_idle_timeout_s, presence_offline_timeout_s), in
 * seconds as tuwunel reads them. The single source for both the config file
 * and the declared timings below.
 *
 * Paths are in matrix-construct/tuwunel at deb5c6588 (1.4.6); README.md in
 * this folder says what they mean for a client.
 *
 * Why 120 s idle and not Synapse's 16 s: a user who keeps syncing refreshes
 * her presence only when its state changes or her last_active_ago has
 * reached REFRESH_TIMEOUT, a constant 60 s (src/service/presence/mod.rs:142,
 * :163, maybe_ping_presence). The idle timer checks last_active_ago alone
 * (mod.rs:338-340, process_presence_timer). So a syncing user stays online
 * only if she syncs again between 60 s after her last refresh and the idle
 * timeout: with an idle timeout at or under 60 s every syncing user would be
 * idled while she syncs, a verdict on the configuration, not on the code.
 * The stories' active users sync once per activity pace (a third of the
 * currently_active window, here the idle timeout: 40 s; harness/story/presence/
 * activity.ts), each sync held up to client_sync_timeout_min, 5 s
 * (src/core/config/mod.rs:2967): the refresh comes at most 60 + 40 + 5 s =
 * 105 s after the last one, 15 s inside the idle timeout. With 75 s (the
 * first value tried) it could come after the idle timer had idled her in
 * mid-activity: the two settings' interaction, not the semantics, would
 * have decided the stories of active users.
 *
 * Why 150 s offline: the offline timer is armed when a user becomes
 * unavailable and fires offline_timeout later (mod.rs:216-226 arms it for
 * any state but online; mod.rs:341 moves unavailable to offline). It must
 * exceed the idle deadline (120 s plus check, delivery and slack) so that a
 * quiet user is seen idle before she can be offline
 * (harness/story/presence/quiet-online.ts).
 */
export const TUWUNEL_PRESENCE_SECONDS = {
  idleTimeout: 120,
  offlineTimeout: 150,
} as const;

/**
 * tuwunel 1.4.6's presence timers as the embedded target configures them.
 * It has no periodic presence job: each set_presence (a PUT, a /sync that
 * changes or refreshes the state, a timer's own transition) arms one more
 * per-user timer (mod.rs:213-235 send it to the worker; mod.rs:64-76 keep
 * them in a FuturesUnordered, none ever cancelled; mod.rs:360-364 sleep for
 * the timeout). A firing timer acts only if the stored last_active_ago has
 * reached the threshold (mod.rs:338-344), so stale timers are no-ops.
 */
export const TUWUNEL_TIMINGS: TargetTimings = {
  // process_presence_timer (mod.rs:339): online with last_active_ago >=
  // idle_timeout -> unavailable; the timer was armed at the set (mod.rs:217-221).
  idleTimeoutMs: TUWUNEL_PRESENCE_SECONDS.idleTimeout * 1000,
  // currently_active is stored, not computed: true when a /sync pings the
  // user online (mod.rs:181), false when a PUT sets her presence (api/client/
  // presence.rs:26 passes None, service/presence/data.rs:110 unwrap_or(false))
  // or the idle timer makes her unavailable (mod.rs:352, Some(false)). So it
  // lasts until the idle timer: the window is the idle timeout.
  activeWindowMs: TUWUNEL_PRESENCE_SECONDS.idleTimeout * 1000,
  // A user who stops syncing is never "disconnected" as such: online goes
  // unavailable at the idle timeout, then offline when the timer armed by
  // that transition fires (mod.rs:341, offline_timeout later); a user who PUT
  // "unavailable" herself goes offline offline_timeout after the PUT. The
  // earliest any non-offline state can end in offline is offline_timeout
  // after it was set, which is what the suites' premises need.
  syncOnlineTimeoutMs: TUWUNEL_PRESENCE_SECONDS.offlineTimeout * 1000,
  // No sweep: each timer fires at its own instant (tokio sleep, mod.rs:361),
  // then waits its turn in the worker's select loop (mod.rs:65-76) behind
  // other timers' database writes. A second covers that on a loaded machine.
  checkIntervalMs: 1_000,
  // The worker starts with the service (mod.rs:53): timers run from boot.
  // It first resets every stored online/unavailable user to offline
  // (mod.rs:56, unset_all_presence), harmless on a fresh database.
  firstCheckAfterMs: 0,
  // No periodic job re-sends presence. What changes a user's presence on its
  // own is her idle timer, at most idle_timeout after her last set: a check
  // that something never happens (a leak to a stranger, an update she did
  // not make) watches across it. Its phase is the story's own, not the
  // boot's, so no firstCycleAfterMs.
  longestCycleMs: TUWUNEL_PRESENCE_SECONDS.idleTimeout * 1000,
  // A presence change does not wake a long-polling /sync: the sync watcher
  // (src/service/sync/watch.rs:23-72) watches to-device, membership, counts,
  // account data and keys, not presenceid_presence. The change shows at the
  // end of the poll, which tuwunel clamps up to client_sync_timeout_min, 5 s
  // by default (api/client/sync/v3.rs:167-176, config/mod.rs:2967), whatever
  // shorter timeout the harness asks for; plus 2 s of processing.
  deliveryMs: 7_000,
  // Loopback latency on a loaded machine (a debug-profile build, opt-level 1).
  slackMs: 3_000,
};
