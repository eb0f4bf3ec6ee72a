import type { Recorder } from './recorder.js';
import { sleep } from '../clock.js';
import type { PresencePace } from '../server-facts.js';

/**
 * Added to the interval: the server starts counting when it handles a
 * request, which is after the harness sent it (by up to a round trip).
 */
const MARGIN_MS = 1_000;

/**
 * Paces one user's presence changes (all her devices share one pacer) so
 * that a server's presence rate limit never decides what a check sees.
 * Synapse answers a PUT over the limit with 429 (which the transport waits
 * out anyway), but silently ignores a `/sync`'s `set_presence` over it,
 * and every /sync of the user counts against that limit: pacing is the only
 * way a sync's presence change takes effect. So:
 * - a PUT waits until the interval has passed since the user's last PUT;
 * - a /sync whose `set_presence` differs from the state the user last set
 *   (a PUT or a sync; a sync without `set_presence` means online) waits
 *   until the interval has passed since her last sync the server counted,
 *   and her other syncs wait while such a change is pending, so that they
 *   do not use up the allowance it waits for.
 * Each delay is noted in the evidence.
 */
export class PresencePacer {
  private lastPutAt = -Infinity;
  private lastCountedSyncAt = -Infinity;
  private lastState: string | undefined;
  private pendingChange: Promise<void> | undefined;

  constructor(readonly pace: PresencePace | undefined) {}

  /** Before `PUT /presence/{userId}/status` setting `state`. */
  async beforePut(state: unknown, recorder: Recorder, role: string): Promise<void> {
    // Only states a server accepts become the user's; a refused one (free_for_chat) changes nothing.
    if (state === 'online' || state === 'unavailable' || state === 'offline') this.lastState = state;
    if (!this.pace) return;
    const due = this.lastPutAt + this.pace.intervalMs + MARGIN_MS;
    this.lastPutAt = Math.max(Date.now(), due);
    await this.delay(due, recorder, `${role}: presence PUT`);
  }

  /** Before a /sync with `setPresence` (undefined: the server's default, online). */
  async beforeSync(setPresence: string | undefined, recorder: Recorder, role: string, cancel?: AbortSignal): Promise<void> {
    const state = setPresence ?? 'online';
    if (!this.pace) {
      this.lastState = state;
      return;
    }
    const change = this.lastState !== undefined && state !== this.lastState;
    if (!change) {
      while (this.pendingChange && !cancel?.aborted) await this.pendingChange;
      if (Date.now() >= this.lastCountedSyncAt + this.pace.intervalMs) this.lastCountedSyncAt = Date.now();
      this.lastState = state;
      return;
    }
    while (this.pendingChange && !cancel?.aborted) await this.pendingChange;
    const due = this.lastCountedSyncAt + this.pace.intervalMs + MARGIN_MS;
    this.lastState = state;
    this.lastCountedSyncAt = Math.max(Date.now(), due);
    const wait = this.delay(due, recorder, `${role}: /sync with set_presence=${state}`, cancel);
    this.pendingChange = wait;
    try {
      await wait;
    } finally {
      if (this.pendingChange === wait) this.pendingChange = undefined;
    }
  }

  private async delay(due: number, recorder: Recorder, what: string, cancel?: AbortSignal): Promise<void> {
    const ms = due - Date.now();
    if (ms <= 0) return;
    recorder.rateLimited({ limit: this.pace!.limit, retryAfterMs: ms }, `${what} paced: waited ${ms} ms (the server allows one presence change per ${this.pace!.intervalMs} ms per user, as the preflight measured: ${this.pace!.limit})`);
    await sleep(ms, cancel);
  }
}
