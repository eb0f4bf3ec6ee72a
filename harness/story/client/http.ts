import { Pool, request, type Dispatcher } from 'undici';
import { HarnessError } from '../../errors.js';
import { describeExchange, type Exchange, type Recorder } from './recorder.js';
import { roundTrips } from './round-trip.js';
import { isRateLimited, rateLimitOf, type RateLimitWaits } from './rate-limit.js';
import { SETUP, TRANSIENT_STATUSES, retryStep, setupSlots } from './setup-steps.js';
import { sleep } from '../clock.js';
import { closeTrustAgents, tlsConnectOptions, tlsFailure } from './trust.js';

/** A response together with the recorded exchange that proves it. */
export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  exchange: Exchange;
  /** One-line rendering of the exchange, for assertion messages. */
  evidence: string;
  /** The `Retry-After` header, when the server sent one (Synapse does with a 429). */
  retryAfter?: string;
}

export interface SendOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  token?: string;
  body?: unknown;
  actor: string;
  /** Per-request timeout; long-polling syncs pass their own. */
  timeoutMs?: number;
  /** Cancels the request (a sync loop's long-poll when its story ends); it then rejects with `RequestAborted`. */
  signal?: AbortSignal;
  /**
   * A set-up step of the story, not a request it judges (harness/story/client/setup-steps.ts):
   * it waits for one of the thread's set-up slots and gets `SETUP.attemptTimeoutMs`.
   * `retry`: safe to repeat (a GET, a join, a login with a fixed device ID), so
   * transport failures and 502/503/504 are retried with back-off within
   * `SETUP.budgetMs`. `once`: sent once (creating a room twice would make a
   * second room; registration retries itself with a fresh nonce).
   */
  setup?: 'retry' | 'once';
}

/**
 * No answer at all: the connection was refused or reset, or the headers or
 * body did not arrive in time. The attempt is recorded (status 0 and the
 * error) before this is thrown.
 */
export class TransportFailure extends HarnessError {
  constructor(
    message: string,
    /**
     * The connection was refused: nothing listens there (a stopped or dead
     * server), which waiting does not cure; set-up steps do not retry it.
     * A slow server times out or resets instead.
     */
    readonly refused = false,
  ) {
    super(message);
  }
}

/** A request cancelled through its `signal`: nothing was exchanged worth recording. */
export class RequestAborted extends Error {
  override readonly name = 'RequestAborted';
}

const DEFAULT_TIMEOUT_MS = 15_000;

const pools = new Map<string, Dispatcher>();

/** The keep-alive pool for one target origin, shared by every client in this process; it trusts the origin's `--ca-file` (harness/story/client/trust.ts). */
export function poolFor(baseUrl: string): Dispatcher {
  const origin = new URL(baseUrl).origin;
  let pool = pools.get(origin);
  if (!pool) {
    const connect = tlsConnectOptions(origin);
    pool = new Pool(origin, { connections: 128, keepAliveTimeout: 30_000, pipelining: 1, ...(connect ? { connect } : {}) });
    pools.set(origin, pool);
  }
  return pool;
}

/** Closes the pool of one origin (leaving other origins' pools, which other runs may be using). */
export async function closePool(baseUrl: string): Promise<void> {
  const origin = new URL(baseUrl).origin;
  const pool = pools.get(origin);
  pools.delete(origin);
  await pool?.close().catch(() => undefined);
}

/** Closes every pool, so a process can exit promptly. */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled([...all.map((p) => p.close()), closeTrustAgents()]);
}

/**
 * The one HTTP client of the harness. Every exchange is recorded (redacted) in
 * the test's recorder; a rate-limited answer (429) is waited out as the
 * server advises, as long as `waits` (the story's budget) admits, and the
 * request sent again (harness/story/client/rate-limit.ts).
 */
export class HttpTransport {
  constructor(
    readonly baseUrl: string,
    readonly recorder: Recorder,
    private readonly dispatcher: Dispatcher = poolFor(baseUrl),
    /** Stops set-up retries (the test's signal): a cancelled run or a timed-out test must not keep retrying for minutes. */
    readonly cancel?: AbortSignal,
    /** The story's wait budget for rate limits; absent: every advised wait is waited out (the preflight). */
    readonly waits?: RateLimitWaits,
  ) {}

  async send<T = Record<string, unknown>>(options: SendOptions): Promise<Reply<T>> {
    if (options.setup !== 'retry') return this.sendRateLimited<T>(options);
    return retryStep<Reply<T>>(async () => {
      try {
        const reply = await this.sendRateLimited<T>(options);
        return TRANSIENT_STATUSES.has(reply.status) ? { giveUp: () => reply } : { done: reply };
      } catch (cause) {
        if (!(cause instanceof TransportFailure) || cause.refused) throw cause;
        return {
          giveUp: (attempts) => {
            throw new TransportFailure(`${cause.message} (${attempts})`);
          },
        };
      }
    }, { cancel: this.cancel });
  }

  /** One request, repeated after each rate-limited answer once the advised wait is over. */
  private sendRateLimited<T>(options: SendOptions): Promise<Reply<T>> {
    return this.untilNotRateLimited(async () => ({ request: options, reply: await (options.setup ? setupSlots.run(() => this.sendOnce<T>(options)) : this.sendOnce<T>(options)) }));
  }

  /**
   * Runs `attempt` (one request, or requests that belong together in one
   * slot: `inSlot`) until its answer is not a rate limit, waiting out each
   * limit as advised in between, outside any slot; `attempt` starts from
   * scratch each time, so a one-time value it held is fetched afresh.
   */
  async untilNotRateLimited<T>(attempt: () => Promise<{ request: Pick<SendOptions, 'method' | 'path' | 'actor'>; reply: Reply<T> }>): Promise<Reply<T>> {
    for (let n = 0; ; n++) {
      const { request, reply } = await attempt();
      if (!isRateLimited(reply) || !(await this.waitOut(request, reply, n))) return reply;
    }
  }

  /**
   * Runs `work` holding one set-up slot: for a step whose requests belong
   * together (a nonce and the registration it signs, the rounds of
   * user-interactive auth), so that no queue for a slot comes between a
   * value with a lifetime and its use. Inside, send with `sendHeld`.
   */
  inSlot<T>(work: () => Promise<T>): Promise<T> {
    return setupSlots.run(work);
  }

  /**
   * One set-up request inside a slot the caller holds (`inSlot`), sent once:
   * a rate-limited answer is returned, for the caller to leave the slot,
   * `waitOut` and start over (a value it held may have expired meanwhile).
   */
  sendHeld<T = Record<string, unknown>>(options: Omit<SendOptions, 'setup'>): Promise<Reply<T>> {
    return this.sendOnce<T>({ ...options, setup: 'once' });
  }

  /**
   * Waits out a rate-limited answer to `options` as the server advised (its
   * `retry_after_ms`, else `Retry-After`), after the story's budget admitted
   * the wait (it skips the story otherwise: this then throws); notes the wait
   * in the evidence. False when the test was cancelled meanwhile.
   */
  private async waitOut(options: Pick<SendOptions, 'method' | 'path' | 'actor'>, reply: Reply<unknown>, attempt = 0): Promise<boolean> {
    const hit = rateLimitOf(options.method, options.path, reply, attempt);
    this.waits?.admitRateLimitWait(hit);
    this.recorder.rateLimited(hit, `${options.actor}: ${hit.limit}: rate-limited, waited ${hit.retryAfterMs} ms as the server advised (exchange #${reply.exchange.seq})`);
    await sleep(hit.retryAfterMs, this.cancel);
    return !this.cancel?.aborted;
  }

  private async sendOnce<T>(options: SendOptions): Promise<Reply<T>> {
    const url = new URL(options.path, this.baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.body);
    }
    const timeout = options.timeoutMs ?? (options.setup ? SETUP.attemptTimeoutMs : DEFAULT_TIMEOUT_MS);
    // The transport's own signal (the test's: a timeout, a cancelled run) ends
    // every request too, so a story stops at once on Ctrl-C against a server
    // that stays up (a url target), where vitest would wait for it to finish.
    const signal = options.signal && this.cancel ? AbortSignal.any([options.signal, this.cancel]) : (options.signal ?? this.cancel);
    const started = Date.now();
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const response = await request(url, {
        method: options.method,
        headers,
        body: payload,
        dispatcher: this.dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal,
      });
      status = response.statusCode;
      const header = response.headers['retry-after'];
      retryAfter = Array.isArray(header) ? header[0] : header;
      text = await response.body.text();
    } catch (cause) {
      if (signal?.aborted) throw new RequestAborted(`${options.method} ${url.pathname} cancelled after ${Date.now() - started} ms`);
      const reason = cause instanceof Error ? cause.message : String(cause);
      this.recorder.record({ ...this.entry(options, url, started), status: 0, error: reason });
      // A certificate that does not verify, like a refused connection, is not cured by waiting: no retries.
      throw new TransportFailure(`${options.method} ${url.pathname} failed after ${Date.now() - started} ms: ${reason}`, isRefused(cause) || tlsFailure(cause) !== undefined);
    }
    const body = parseBody(text) as T;
    const durationMs = Date.now() - started;
    if (options.token && !options.setup && !Number(options.query?.timeout)) roundTrips.observe(durationMs);
    const exchange = this.recorder.record({ ...this.entry(options, url, started), status, responseBody: body, durationMs });
    return { status, body, exchange, evidence: describeExchange(exchange), ...(retryAfter !== undefined ? { retryAfter } : {}) };
  }

  private entry(options: SendOptions, url: URL, started: number): Omit<Exchange, 'seq' | 'status'> {
    return {
      actor: options.actor,
      method: options.method,
      path: url.pathname + url.search,
      requestBody: options.body,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      ...(options.setup ? { setup: true } : {}),
    };
  }
}

/** Whether a request failed because the connection was refused (undici keeps the socket error's code, or wraps it as `cause`). */
function isRefused(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as typeof e, depth++) {
    if (e.code === 'ECONNREFUSED') return true;
  }
  return false;
}

function parseBody(text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return { nonJsonBody: text.slice(0, 500) };
  }
}
