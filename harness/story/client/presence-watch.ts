import { checkPresencePayload, type PayloadKind } from '../schema/invariants.js';
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
    /**
     * Set for the users of a federating pair's other server: their server's
     * payloads are not the server under test's, so a broken invariant there
     * is noted in the evidence and blames no requirement.
     */
    private readonly peer?: string,
  ) {}

  /** States of unstable features the server advertised (MSC3026's busy), mapped to the feature: not a breach of the enum. */
  private readonly extensions = new Map<string, string>();

  /** Takes `state` as a value of the advertised unstable feature `feature` from now on. */
  acceptExtension(state: string, feature: string): void {
    this.extensions.set(state, feature);
  }

  inspect(kind: PayloadKind, payload: unknown, exchangeSeq: number): void {
    const plausibleAgoMs = Date.now() - this.runStartedAt + 1_000;
    for (const finding of checkPresencePayload(kind, payload, plausibleAgoMs, new Set(this.extensions.keys()))) {
      if (this.peer) this.recorder.note(`the peer ${this.peer}'s payload of exchange #${exchangeSeq} breaks ${finding.requirementId} (${finding.message}): not counted against the server under test`);
      else this.recorder.violation({ ...finding, exchangeSeq, payload });
    }
  }
}
