import { setMaxListeners } from 'node:events';
import { HttpTransport, poolFor, type Reply } from '../story/client/http.js';
import { Recorder } from '../story/client/recorder.js';
import { RUN_SETUP_CONCURRENCY } from '../story/client/setup-steps.js';
import { redactText, registerSecret } from '../redact.js';
import type { LedgerEntry } from './ledger.js';

export interface CleanUpOptions {
  /** No user's clean-up starts after this instant (epoch ms), and the clean-up returns by then at the latest. */
  deadline: number;
  /** Users cleaned up at once (their requests also queue for the thread's set-up slots). */
  concurrency?: number;
}

export interface CleanUpOutcome {
  /** Accounts that exist(ed) on the server: registered, or found by logging in after a registration whose answer never came. */
  made: number;
  deactivated: number;
  /** User IDs (or, unknown, the localparts asked for) still active: their clean-up failed or did not fit before the deadline. */
  failed: string[];
  /** The first failure's cause, one line, redacted (the others usually share it). */
  firstCause?: string;
  durationMs: number;
}

/** What became of one account. */
type Fate = 'never-created' | 'deactivated';

/** A step of one user's clean-up that did not work; `message` says which and the exchange. */
class CleanUpFailed extends Error {}

/**
 * Removes what a run left on a server that outlives it: each user leaves
 * every room it is joined to (`GET /joined_rooms`, `POST /rooms/{id}/leave`)
 * and is deactivated — `POST /account/deactivate` with user-interactive auth
 * by its own password (`m.login.password`, which every server offers for an
 * account made with a password; the one way that works on every server, the
 * run's own admin included) — then every token it holds is logged out. A few users at
 * a time; a 429 is waited out as `retry_after_ms` says (harness/story/client/http.ts).
 * Bounded by `deadline`: what is not done then is reported, never waited for.
 */
export async function cleanUpUsers(entries: readonly LedgerEntry[], options: CleanUpOptions): Promise<CleanUpOutcome> {
  const started = Date.now();
  const stop = new AbortController();
  // Every request of the clean-up listens to it.
  setMaxListeners(0, stop.signal);
  const queue = [...entries];
  const fates = new Map<LedgerEntry, Fate | CleanUpFailed>();
  const worker = async () => {
    for (let entry = queue.shift(); entry && Date.now() < options.deadline; entry = queue.shift()) {
      try {
        fates.set(entry, await cleanUpOne(entry, stop.signal));
      } catch (cause) {
        fates.set(entry, cause instanceof CleanUpFailed ? cause : new CleanUpFailed(cause instanceof Error ? cause.message : String(cause)));
      }
    }
  };
  const workers = Array.from({ length: Math.min(options.concurrency ?? RUN_SETUP_CONCURRENCY, entries.length) }, worker);
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, options.deadline - Date.now()))));
  await Promise.race([Promise.all(workers), timeUp]);
  clearTimeout(timer);
  // Retries still waiting stop; requests in flight end when the run closes its connections.
  stop.abort();

  let made = 0;
  let deactivated = 0;
  const failed: string[] = [];
  let firstCause: string | undefined;
  for (const entry of entries) {
    const fate = fates.get(entry) ?? new CleanUpFailed('the clean-up ran out of time');
    if (fate === 'never-created') continue;
    made++;
    if (fate === 'deactivated') deactivated++;
    else {
      failed.push(entry.userId ?? entry.username);
      firstCause ??= redactText(fate.message.split('\n')[0]!);
    }
  }
  return { made, deactivated, failed, ...(firstCause ? { firstCause } : {}), durationMs: Date.now() - started };
}

async function cleanUpOne(entry: LedgerEntry, cancel: AbortSignal): Promise<Fate> {
  // Nothing of the clean-up is evidence of a verdict: its exchanges are kept nowhere.
  const http = new HttpTransport(entry.baseUrl, new Recorder(), poolFor(entry.baseUrl), cancel);
  const user = new Account(http, entry);
  if (!(await user.session())) return 'never-created';
  for (const roomId of await user.joinedRooms()) await user.leave(roomId);
  await user.deactivate();
  await user.logOutEverywhere();
  return 'deactivated';
}

const CS = '/_matrix/client/v3';
const ACTOR = 'clean-up';

/** One account being cleaned up: its token, and the requests of the clean-up. */
class Account {
  private token: string | undefined;

  constructor(
    private readonly http: HttpTransport,
    private readonly entry: LedgerEntry,
  ) {
    this.token = entry.tokens[0];
  }

  private get name(): string {
    return this.entry.userId ?? this.entry.username;
  }

  /**
   * A working token: the registration's, or a fresh login with the password
   * when there is none (the registration's answer never came) or the token
   * no longer works. False when the account was never created.
   */
  async session(): Promise<boolean> {
    if (this.token) return true;
    const reply = await this.http.send<{ user_id?: string; access_token?: string }>({
      method: 'POST',
      path: `${CS}/login`,
      actor: ACTOR,
      body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: this.entry.userId ?? this.entry.username }, password: this.entry.password },
      setup: 'retry',
    });
    // No such account (the registration never reached the server): nothing to clean.
    if (reply.status === 403 && !this.entry.userId) return false;
    if (reply.status !== 200 || typeof reply.body.access_token !== 'string') throw new CleanUpFailed(`${this.name} could not log in: ${reply.evidence}`);
    registerSecret(reply.body.access_token);
    this.token = reply.body.access_token;
    this.entry.tokens.push(this.token);
    this.entry.userId ??= reply.body.user_id;
    return true;
  }

  async joinedRooms(): Promise<string[]> {
    let reply = await this.request<{ joined_rooms?: unknown }>('GET', `${CS}/joined_rooms`, undefined, 'retry');
    if (reply.status === 401 && this.entry.userId) {
      // The token no longer works (logged out by the story): log in afresh.
      this.token = undefined;
      await this.session();
      reply = await this.request<{ joined_rooms?: unknown }>('GET', `${CS}/joined_rooms`, undefined, 'retry');
    }
    const rooms = reply.body.joined_rooms;
    if (reply.status !== 200 || !Array.isArray(rooms)) throw new CleanUpFailed(`${this.name} could not list its rooms: ${reply.evidence}`);
    return rooms.filter((r): r is string => typeof r === 'string');
  }

  async leave(roomId: string): Promise<void> {
    // Leaving a room one has left changes nothing: safe to retry.
    const reply = await this.request('POST', `${CS}/rooms/${encodeURIComponent(roomId)}/leave`, {}, 'retry');
    if (reply.status !== 200) throw new CleanUpFailed(`${this.name} could not leave ${roomId}: ${reply.evidence}`);
  }

  /**
   * `POST /account/deactivate`, completing user-interactive auth with the
   * password: the first request gets 401 with a session, the second passes
   * `m.login.password` in it. The two share one set-up slot, as a
   * registration's rounds do (harness/story/client/registration.ts): a UIA session has a
   * lifetime, and no queue may come between it and its use; a rate limit is
   * waited out outside the slot, and both are sent again. Each is sent once
   * per attempt: a repeat after a lost answer would meet a deactivated account.
   */
  async deactivate(): Promise<void> {
    const request = { method: 'POST' as const, path: `${CS}/account/deactivate`, actor: ACTOR };
    const reply = await this.http.untilNotRateLimited(() => this.http.inSlot(async () => {
      const first = await this.http.sendHeld<{ session?: unknown }>({ ...request, token: this.token, body: { erase: false } });
      if (first.status !== 401 || typeof first.body.session !== 'string') return { request, reply: first };
      const auth = { type: 'm.login.password', identifier: { type: 'm.id.user', user: this.entry.userId }, password: this.entry.password, session: first.body.session };
      return { request, reply: await this.http.sendHeld<{ session?: unknown }>({ ...request, token: this.token, body: { erase: false, auth } }) };
    }));
    if (reply.status !== 200) throw new CleanUpFailed(`${this.name} could not be deactivated: ${reply.evidence}`);
  }

  /**
   * Ends every session of the account: deactivation does on the servers
   * known (a 401 here says the token is gone already); where a token still
   * works, `POST /logout/all` with it. Nothing the run held may stay usable.
   */
  async logOutEverywhere(): Promise<void> {
    for (const token of this.entry.tokens) {
      const reply = await this.http.send({ method: 'POST', path: `${CS}/logout/all`, token, actor: ACTOR, body: {}, setup: 'retry' });
      if (reply.status !== 200 && reply.status !== 401) throw new CleanUpFailed(`${this.name} was deactivated, but a token of it could not be logged out: ${reply.evidence}`);
    }
  }

  private request<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body: unknown, setup: 'retry' | 'once'): Promise<Reply<T>> {
    return this.http.send<T>({ method, path, body, token: this.token, actor: ACTOR, setup });
  }
}
