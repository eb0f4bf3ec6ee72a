/**
 * A federation transaction as the pair's recording proxy
 * (harness/federation/proxy.ts) records it and hands it to test workers over
 * its control endpoint (JSON): the face reads it (record.ts), the proxy,
 * machinery, writes it.
 */

/** One EDU of a transaction, as it travels. */
export interface Edu {
  edu_type?: unknown;
  content?: unknown;
}

/** A federation transaction the proxy saw (or sent, when injected). */
export interface RecordedTransaction {
  txnId: string;
  /** The sending server, from the transaction body. */
  origin: string;
  /** The server it was addressed to (the one the proxy port fronts). */
  destination: string;
  /** Epoch ms the proxy received it. */
  at: number;
  edus: Edu[];
  pduCount: number;
  /** The receiving server's answer status (0 if it failed to answer). */
  status?: number;
  injected: boolean;
}
