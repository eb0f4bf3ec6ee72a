import { Inconclusive } from '../errors.js';
import type { TargetTimings } from '../../timings.js';
import type { PresenceState } from '../schema/invariants.js';

/**
 * A story's premise about a user's state: she is in `state` since `since`
 * (epoch ms, when the request that put her there was sent: a server timer
 * counts from its own receipt, never earlier). `syncing`: her client keeps a
 * sync loop running throughout, so the sync-online timeout cannot end it.
 */
export interface StatePremise {
  /** Or the state of an advertised unstable feature (MSC3026's busy): no idle timer, only the sync-online timeout ends it. */
  state: PresenceState | (string & {});
  since: number;
  syncing: boolean;
}

/** A declared server timer that ends a state on its own, and the state it leads to. */
export interface EndingTimer {
  /** The timer's name, as `TargetTimings` and the CLI flags call it. */
  timer: 'idle timeout' | 'sync-online timeout';
  ms: number;
  to: PresenceState;
}

/**
 * The declared timers that can end `premise` on their own, earliest first:
 * the idle timeout makes an online user unavailable; the sync-online timeout
 * makes a user who does not sync offline, whatever she set (Synapse counts
 * it from her last sync or activity, a PUT being one). `offline` ends by no
 * timer.
 */
export function endingTimers(premise: Pick<StatePremise, 'state' | 'syncing'>, timings: TargetTimings): EndingTimer[] {
  const timers: EndingTimer[] = [];
  if (premise.state === 'online') timers.push({ timer: 'idle timeout', ms: timings.idleTimeoutMs, to: 'unavailable' });
  if (premise.state !== 'offline' && !premise.syncing) timers.push({ timer: 'sync-online timeout', ms: timings.syncOnlineTimeoutMs, to: 'offline' });
  return timers.sort((a, b) => a.ms - b.ms);
}

/**
 * Why `premise` may no longer stand at `at`: the first declared timer that
 * could have fired by then, in one phrase; undefined while none could (a
 * timer never fires before its threshold has passed).
 */
export function premiseLapsed(premise: StatePremise, timings: TargetTimings, at: number): string | undefined {
  const elapsed = at - premise.since;
  const timer = endingTimers(premise, timings).find((t) => elapsed >= t.ms);
  return timer && `${elapsed} ms after she was ${premise.state}, the declared ${timer.timer} (${timer.ms} ms) may have made her ${timer.to}`;
}

/**
 * For a judgement that expects `premise` to stand (her state unchanged, a
 * roommate seeing what she set): when what was `seen` differs from it and a
 * declared timer could have ended the premise by `at` (when it was seen), the
 * story is inconclusive, not failed: the server may only have done what its
 * timer says. Otherwise returns, and the caller judges `seen` as before.
 */
export function unlessTimerEnded(premise: StatePremise, timings: TargetTimings, seen: string | undefined, at: number, evidence?: string): void {
  if (seen === premise.state) return;
  const lapsed = premiseLapsed(premise, timings, at);
  if (lapsed) throw new Inconclusive(`the story's premise (she is ${premise.state}) may have lapsed before it was judged: ${lapsed}`, undefined, evidence);
}
