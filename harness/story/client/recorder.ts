import { redact, redactText } from '../../redact.js';
import type { RateLimitHit } from './rate-limit.js';

/** One HTTP request and its response, redacted, as kept for evidence. */
export interface Exchange {
  seq: number;
  /** Who sent it: the test role (`alice`, `bob#2` for a second device) or `harness`. */
  actor: string;
  method: string;
  /** Path and query, with any token in the query redacted. */
  path: string;
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
  startedAt: string;
  durationMs: number;
  /** A transport failure (connection refused or reset, a timeout): the request got no answer, `status` is 0. */
  error?: string;
  /** Sent as a set-up step (bounded, retried when safe: harness/story/client/setup-steps.ts), not a request the story judges. */
  setup?: boolean;
}

/** A presence invariant broken by a payload the server sent, with the payload. */
export interface Violation {
  requirementId: string;
  message: string;
  /** Sequence number of the exchange that carried the payload. */
  exchangeSeq: number;
  payload: unknown;
}

const MAX_BODY_CHARS = 8_000;

function bounded(body: unknown): unknown {
  if (body === undefined) return undefined;
  const text = JSON.stringify(body);
  if (text === undefined || text.length <= MAX_BODY_CHARS) return body;
  return { truncated: true, length: text.length, head: text.slice(0, MAX_BODY_CHARS) };
}

/**
 * Collects the evidence of one test: every exchange, every invariant
 * violation seen in a payload, and the last state a wait observed.
 */
export class Recorder {
  readonly exchanges: Exchange[] = [];
  readonly violations: Violation[] = [];
  /** How the harness derived what it did (the round-trip allowance of a deadline, say), in order. */
  readonly notes: string[] = [];
  lastObserved: unknown = undefined;
  /** When a wait last observed (epoch ms): which observation a timed-out or broken wait ended on (the report's timeline highlights it). */
  lastObservedAt: number | undefined = undefined;
  /** Every wait the story made, in the order begun, with when it ended: the deadlines the report's timeline draws. */
  readonly waitLog: RecordedWait[] = [];
  /** The client kind the story ran its user as (`ClientKind.id`, harness/story/presence/clients.ts), when it named one. */
  clientKind: string | undefined = undefined;
  /**
   * Every rate limit the story's requests met and waited out (a 429, or a
   * presence change paced to the server's measured limit), in order: a
   * premise that such a wait broke is the limit's doing (harness/story/presence/activity.ts).
   */
  readonly rateLimits: RateLimitHit[] = [];
  private seq = 0;
  /** The waits in progress (`eventually`, `throughout` in harness/story/clock.ts), by when each began. */
  private readonly waits = new Set<PendingWait>();

  /** Stores a redacted copy of an exchange and returns it. */
  record(entry: Omit<Exchange, 'seq'>): Exchange {
    const exchange: Exchange = redact({
      ...entry,
      seq: ++this.seq,
      path: redactText(entry.path),
      requestBody: bounded(entry.requestBody),
      responseBody: bounded(entry.responseBody),
    });
    this.exchanges.push(exchange);
    return exchange;
  }

  /** Notes what a wait last saw, so a timeout can say what the server did instead. */
  observe(state: unknown): void {
    this.lastObserved = redact(state);
    this.lastObservedAt = Date.now();
  }

  /** Notes a rate-limit wait (`text` says what was delayed and how long). */
  rateLimited(hit: RateLimitHit, text: string): void {
    this.rateLimits.push(hit);
    this.note(text);
  }

  /** Notes how a deadline or a step was derived, for the evidence. */
  note(text: string): void {
    this.notes.push(redactText(text));
  }

  violation(v: Violation): void {
    this.violations.push(redact(v));
  }

  /**
   * Notes that the story now waits for `what` until `deadline`; returns the
   * call that ends the note. What a story stopped by its time limit was
   * waiting for (harness/story/story-limit.ts).
   */
  waiting(what: string, deadline: number): () => void {
    const wait: PendingWait = { what: redactText(what), deadline, since: Date.now() };
    const logged: RecordedWait = { ...wait };
    this.waits.add(wait);
    this.waitLog.push(logged);
    return () => {
      logged.endedAt = Date.now();
      this.waits.delete(wait);
    };
  }

  /** The waits in progress, oldest first. */
  get pendingWaits(): PendingWait[] {
    return [...this.waits];
  }
}

/** A wait in progress: what for, until when, since when (epoch ms). */
export interface PendingWait {
  what: string;
  deadline: number;
  since: number;
}

/** A wait as the evidence keeps it: a pending wait, and when it ended (absent: the story stopped while waiting). */
export interface RecordedWait extends PendingWait {
  endedAt?: number;
}

/** A short, redacted, human-readable rendering of one exchange for assertion messages. */
export function describeExchange(exchange: Exchange): string {
  const body = exchange.responseBody === undefined ? '' : ` ${JSON.stringify(exchange.responseBody).slice(0, 400)}`;
  const answer = exchange.error === undefined ? `${exchange.status}${body}` : `no answer (${exchange.error})`;
  return `[#${exchange.seq} ${exchange.actor}] ${exchange.method} ${exchange.path} -> ${answer}`;
}

/** `describeExchange`'s opening, `[#<seq> <actor>] <METHOD> `: how a message names an exchange. */
const NAMED_EXCHANGE = /\[#(\d+) [^\]]+\] [A-Z]+ /g;

/** The sequence numbers of the exchanges a message names through `describeExchange` (an assertion's evidence), in order, each once. */
export function exchangesNamedIn(message: string): number[] {
  return [...new Set([...message.matchAll(NAMED_EXCHANGE)].map((m) => Number(m[1])))];
}
