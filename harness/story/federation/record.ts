import { request } from 'undici';
import type { Recorder } from '../client/recorder.js';
import type { RecordedTransaction } from './transaction.js';

/** One item of an `m.presence` EDU's `push` list, with the transaction that carried it. */
export interface PresencePush {
  txn: RecordedTransaction;
  item: Record<string, unknown>;
}

/**
 * What a test worker sees of the pair's recording proxy (its control
 * endpoint): the transactions that went between the servers, and injection.
 * Every transaction a test reads about its users goes into its evidence as
 * an exchange (actor `federation <origin> -> <destination>`).
 */
export class FederationRecord {
  private readonly seen = new Set<string>();

  constructor(
    private readonly controlUrl: string,
    private readonly recorder: Recorder,
  ) {}

  /** Every transaction the proxy has seen so far in the run (all tests'). */
  async transactions(): Promise<RecordedTransaction[]> {
    const response = await request(`${this.controlUrl}/transactions`);
    return (await response.body.json()) as RecordedTransaction[];
  }

  /**
   * Every `m.presence` push item about one of `userIds` so far, each
   * transaction that carried one kept in the evidence once.
   */
  async presenceAbout(userIds: readonly string[]): Promise<PresencePush[]> {
    const found: PresencePush[] = [];
    for (const txn of await this.transactions()) {
      const items = txn.edus
        .filter((edu) => edu.edu_type === 'm.presence')
        .flatMap((edu) => ((edu.content as { push?: unknown } | undefined)?.push as unknown[] | undefined) ?? [])
        .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && userIds.includes(String((item as { user_id?: unknown }).user_id)));
      if (items.length === 0) continue;
      this.keep(txn);
      found.push(...items.map((item) => ({ txn, item })));
    }
    return found;
  }

  /** Sends a transaction of `edus` from server `from` to server `to`, signed as `from`; the receiver's status. */
  async inject(from: string, to: string, edus: RecordedTransaction['edus']): Promise<number> {
    const response = await request(`${this.controlUrl}/inject`, { method: 'POST', body: JSON.stringify({ from, to, edus }) });
    const { status, txnId } = (await response.body.json()) as { status: number; txnId: string };
    const txn = (await this.transactions()).find((t) => t.txnId === txnId);
    if (txn) this.keep(txn);
    return status;
  }

  private keep(txn: RecordedTransaction): void {
    if (this.seen.has(txn.txnId)) return;
    this.seen.add(txn.txnId);
    this.recorder.record({
      actor: `federation ${txn.origin} -> ${txn.destination}${txn.injected ? ' (injected by the harness)' : ''}`,
      method: 'PUT',
      path: `/_matrix/federation/v1/send/${encodeURIComponent(txn.txnId)}`,
      status: txn.status ?? 0,
      requestBody: { origin: txn.origin, edus: txn.edus, pdus: txn.pduCount },
      startedAt: new Date(txn.at).toISOString(),
      durationMs: 0,
    });
  }
}
