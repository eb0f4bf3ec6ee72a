import { checkPresencePayload, type PayloadKind } from '../presence/invariants.js';
import type { Recorder } from './recorder.js';

/**
 * Applies the payload invariants (enum, no `free_for_chat`, `currently_active`
 * only when online, `last_active_ago` format, schemas) to every presence
 * payload a test's clients receive, and records each violation as evidence
 * against the requirement it breaks — whichever test happened to see it.
 */
export class PresenceWatch {
  constructor(
    private readonly recorder: Recorder,
    /** Epoch ms before which no user of this run can have been active. */
    private readonly runStartedAt: number,
  ) {}

  inspect(kind: PayloadKind, payload: unknown, exchangeSeq: number): void {
    const plausibleAgoMs = Date.now() - this.runStartedAt + 1_000;
    for (const finding of checkPresencePayload(kind, payload, plausibleAgoMs)) {
      this.recorder.violation({ ...finding, exchangeSeq, payload });
    }
  }
}
