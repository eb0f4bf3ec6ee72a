import type { Recorder } from './recorder.js';
import { pauseFor } from './setup-steps.js';

/**
 * What the preflight measured of a server's rate limit on presence changes
 * (Synapse's `rc_presence.per_user`, 0.1/s with a burst of 1 by default):
 * one change per `intervalMs` per user. JSON-serialisable (it reaches the
 * test workers in the TargetDescriptor).
 */
export interface PresencePace {
  intervalMs: number;
  /** The limit as the preflight met it, for the evidence. */
  limit: string;
}

/**
 * Added to the interval: the server starts counting when it handles a
 * request, which is after the harness sent it (by up to a round trip).
 */
const MARGIN_MS = 1_000;

/**
 * How much later than otherwise a paced user's /sync may start, hence see
 * what was delivered to her: what delivery deadlines add on a paced server.
 */
export function syncPaceAllowanceMs(pace: PresencePace | undefined): number {
  return pace ? pace.intervalMs + MARGIN_MS : 0;
}

/**
 * Paces one user's presence changes (all her devices share one pacer) so
 * that a server's presence rate limit never decides what a check sees.
 * Synapse answers a PUT over the limit with 429 (which the transport waits
 * out anyway); but it counts every /sync of the user against the same limit
 * (its own limiter: rest/client/sync.py) and, over it, silently drops the
 * sync's effect on presence (`set_presence`, and the bump to online and of
 * last active that a sync makes). Found by the e2e test against a Synapse
 * with its default limits: with syncs unpaced, PRES-CA-EXPIRES passed where
 * the generous Synapse fails it (its syncs bump last active). So:
 * - a PUT waits until the interval has passed since the user's last PUT;
 * - every /sync of the user (of any of her devices, in turn) waits until the
 *   interval has passed since her last one, so that each takes effect as it
 *   would on a server without the limit. Delivery deadlines allow for that
 *   wait (`syncPaceAllowanceMs`).
 * The first delay of each kind is noted in the evidence.
 */
export class PresencePacer {
  private lastPutAt = -Infinity;
  private lastSyncAt = -Infinity;
  /** The user's syncs take turns: the limit is the user's, whichever device syncs. */
  private syncTurn: Promise<void> = Promise.resolve();
  private readonly noted = new Set<string>();

  constructor(readonly pace: PresencePace | undefined) {}

  /** Before `PUT /presence/{userId}/status`. */
  async beforePut(recorder: Recorder, role: string): Promise<void> {
    if (!this.pace) return;
    const due = this.lastPutAt + this.pace.intervalMs + MARGIN_MS;
    this.lastPutAt = Math.max(Date.now(), due);
    await this.delay(due, recorder, role, 'presence PUT');
  }

  /** Before any /sync of the user. */
  async beforeSync(recorder: Recorder, role: string, cancel?: AbortSignal): Promise<void> {
    if (!this.pace) return;
    const pace = this.pace;
    const turn = this.syncTurn.then(async () => {
      await this.delay(this.lastSyncAt + pace.intervalMs + MARGIN_MS, recorder, role, '/sync', cancel);
      this.lastSyncAt = Date.now();
    });
    this.syncTurn = turn.catch(() => undefined);
    await turn;
  }

  private async delay(due: number, recorder: Recorder, role: string, what: string, cancel?: AbortSignal): Promise<void> {
    const ms = due - Date.now();
    if (ms <= 0) return;
    if (!this.noted.has(what)) {
      this.noted.add(what);
      recorder.note(`${role}: ${what} paced: waited ${ms} ms (the server allows one presence change per ${this.pace!.intervalMs} ms per user, as the preflight measured: ${this.pace!.limit}; this user's further ${what}s are paced alike)`);
    }
    await pauseFor(ms, cancel);
  }
}
