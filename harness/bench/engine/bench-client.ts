/**
 * One simulated user of the bench: a realistic client, that is a long-poll
 * /sync loop that hands every presence event it sees to the bench, and the
 * requests that change things (presence, messages). The requests are the
 * harness's own (HttpTransport: 429s waited out as advised), through a
 * recorder that counts instead of keeping every exchange.
 */
import { Pool, type Dispatcher } from 'undici';
import { HttpTransport, RequestAborted } from '../../story/client/http.js';
import { Recorder, type Exchange } from '../../story/client/recorder.js';
import type { RateLimitHit } from '../../story/client/rate-limit.js';
import { tlsConnectOptions } from '../../story/client/trust.js';
import { sleep } from '../../story/clock.js';
import type { Session } from '../../story/client/registration.js';
import type { PresenceEvent } from './deliveries.js';

/**
 * The recorder of the bench's requests: it counts them and the rate limits
 * met, keeping no exchange (a step makes tens of thousands; redacting and
 * keeping each would make the harness what is measured).
 */
export class CountingRecorder extends Recorder {
  requests = 0;
  limited = 0;

  override record(entry: Omit<Exchange, 'seq'>): Exchange {
    this.requests++;
    return { ...entry, seq: this.requests };
  }

  override rateLimited(_hit: RateLimitHit, _text: string): void {
    this.limited++;
  }
}

/**
 * A connection pool for one server big enough that every user's long-poll
 * has its own connection and the other requests do not queue behind them
 * (the harness's shared pool has 128: fewer than 200 users' syncs).
 */
export function benchPool(baseUrl: string, users: number): Dispatcher {
  const origin = new URL(baseUrl).origin;
  const connect = tlsConnectOptions(origin);
  return new Pool(origin, { connections: users * 2 + 16, keepAliveTimeout: 30_000, pipelining: 1, ...(connect ? { connect } : {}) });
}

/** The /sync filter: a room's timeline of one event is enough; presence is not filtered. */
export const SYNC_FILTER = JSON.stringify({ room: { timeline: { limit: 1 } } });

/** How long a long-poll waits on the server (what common clients use). */
export const LONG_POLL_MS = 30_000;

/** After a failed sync, the client waits this long before the next (as clients back off). */
const SYNC_RETRY_MS = 1_000;

export interface BenchUser {
  index: number;
  session: Session;
  http: HttpTransport;
  /** The server's name, for joins over federation. */
  serverName: string;
  /** The last /sync's next_batch: the next step's loop goes on from it. */
  since?: string;
}

export { HttpTransport };

/** Runs `user`'s /sync loop until `signal` aborts; `onPresence` gets each answer's presence events. Counts failed syncs. */
export async function syncLoop(user: BenchUser, signal: AbortSignal, onPresence: (events: PresenceEvent[], at: number) => void, failures: { syncs: number }): Promise<void> {
  while (!signal.aborted) {
    try {
      const reply = await user.http.send<{ next_batch?: string; presence?: { events?: PresenceEvent[] } }>({
        method: 'GET',
        path: '/_matrix/client/v3/sync',
        query: { since: user.since, timeout: user.since === undefined ? 0 : LONG_POLL_MS, filter: SYNC_FILTER },
        token: user.session.accessToken,
        actor: `user ${user.index}`,
        timeoutMs: LONG_POLL_MS + 30_000,
        signal,
      });
      const at = Date.now();
      if (reply.status === 200 && typeof reply.body.next_batch === 'string') {
        user.since = reply.body.next_batch;
        onPresence(reply.body.presence?.events ?? [], at);
        continue;
      }
    } catch (cause) {
      if (cause instanceof RequestAborted || signal.aborted) return;
    }
    failures.syncs++;
    await sleep(SYNC_RETRY_MS, signal);
  }
}

/** A first sync (no `since`): the loop starts from its token. */
export async function firstSync(user: BenchUser, signal: AbortSignal, onPresence: (events: PresenceEvent[], at: number) => void): Promise<void> {
  const reply = await user.http.send<{ next_batch?: string; presence?: { events?: PresenceEvent[] } }>({
    method: 'GET',
    path: '/_matrix/client/v3/sync',
    query: { timeout: 0, filter: SYNC_FILTER, ...(user.since ? { since: user.since } : {}) },
    token: user.session.accessToken,
    actor: `user ${user.index}`,
    timeoutMs: 120_000,
    setup: 'retry',
    signal,
  });
  if (reply.status !== 200 || typeof reply.body.next_batch !== 'string') throw new Error(`user ${user.index}'s first /sync answered ${reply.status}`);
  user.since = reply.body.next_batch;
  onPresence(reply.body.presence?.events ?? [], Date.now());
}
