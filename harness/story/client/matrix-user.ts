import { Inconclusive } from '../errors.js';
import { eventually, throughout } from '../clock.js';
import { adminLogin, loginNewDevice, type Session } from './registration.js';
import type { PresenceState } from '../schema/invariants.js';
import { RequestAborted, type HttpTransport, type Reply } from './http.js';
import type { PresenceWatch } from './presence-watch.js';
import { PresencePacer } from './presence-pacer.js';
import { SlidingSyncClient, type SlidingSyncBody } from './sliding-sync.js';
import { keepPolling } from './sync-loop.js';
import type { RequirementId } from '../../requirement-ids.js';

/** What all devices of one account share. */
export interface Account {
  /** Paces the account's presence changes (harness/story/client/presence-pacer.ts). */
  pacer: PresencePacer;
  /**
   * An admin's access token for Synapse's admin login API, when the preflight
   * made one: second devices log in through it, which no login rate limit blocks.
   */
  adminToken?: string;
  /** Tells the run about each further device's session, so it can clean up after it (harness/users/). */
  announceDevice?: (session: Session) => void;
}

/** Body of `GET /presence/{userId}/status`. */
export interface PresenceStatus {
  presence?: string;
  last_active_ago?: number;
  status_msg?: string | null;
  currently_active?: boolean;
  [key: string]: unknown;
}

/** Content of an `m.presence` event. */
export type PresenceContent = PresenceStatus;

export interface PresenceEvent {
  sender: string;
  type: string;
  content: PresenceContent;
}

/** The parts of a /sync response the suites read. */
export interface SyncBody {
  next_batch?: string;
  presence?: { events?: PresenceEvent[] };
  rooms?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A presence event together with when this client received it. */
export interface ReceivedPresence {
  event: PresenceEvent;
  /** When the /sync that carried it was sent (epoch ms): the server gave the event after this. */
  requestedAt: number;
  receivedAt: number;
  /** Sequence number of the /sync exchange that carried it. */
  exchangeSeq: number;
}

export type SetPresence = 'online' | 'offline' | 'unavailable' | (string & {});

export interface SyncOptions {
  /** `set_presence` query parameter; omitted when undefined. */
  setPresence?: SetPresence;
  /** Long-poll timeout handed to the server. */
  timeoutMs?: number;
  /** Start from scratch instead of the stored `next_batch`. */
  initial?: boolean;
  /** Cancels the long-poll (see `whileSyncing`). */
  signal?: AbortSignal;
}

/** One look at a user's presence: an `m.presence` event from /sync, or a GET status body. */
export interface PresenceSighting {
  via: 'sync' | 'get';
  content: PresenceContent;
  /** The server produced `content` at some instant in [from, to] (epoch ms). */
  from: number;
  to: number;
}

type Who = MatrixUser | string;

const idOf = (who: Who): string => (typeof who === 'string' ? who : who.userId);
const encode = encodeURIComponent;

/**
 * One logged-in device of a test user. Methods speak the spec's terms; raw
 * variants return the `Reply` (status, body, evidence) for assertions, the
 * others insist on success and fail with the exchange as evidence.
 */
export class MatrixUser {
  /** `next_batch` of the last /sync, so later syncs are incremental. */
  private since: string | undefined;
  /** Every presence event this device has received, in arrival order. */
  readonly received: ReceivedPresence[] = [];
  private txn = 0;
  private devices = 1;

  constructor(
    private readonly http: HttpTransport,
    /** Role in the test story: `alice`, `bob`, `alice#2` for a second device. */
    readonly role: string,
    private readonly session: Session,
    private readonly password: string,
    private readonly watch: PresenceWatch,
    private readonly account: Account = { pacer: new PresencePacer(undefined) },
  ) {}

  get userId(): string {
    return this.session.userId;
  }

  get deviceId(): string {
    return this.session.deviceId;
  }

  toString(): string {
    return `${this.role} (${this.userId})`;
  }

  private request<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, query?: Record<string, string | number | undefined>, timeoutMs?: number, signal?: AbortSignal): Promise<Reply<T>> {
    return this.http.send<T>({ method, path, body, query, token: this.session.accessToken, actor: this.role, timeoutMs, signal });
  }

  /** A set-up step (harness/story/client/setup-steps.ts): bounded, with a long timeout, retried when `retry`. */
  private setupRequest<T = Record<string, unknown>>(method: 'POST', path: string, body: unknown, setup: 'retry' | 'once'): Promise<Reply<T>> {
    return this.http.send<T>({ method, path, body, token: this.session.accessToken, actor: this.role, setup });
  }

  /**
   * A step of the story, not what the test verifies: a refusal makes the test
   * inconclusive (naming `see`, the requirement that covers the step, if any).
   * Tests that verify the request itself use the raw methods and `expect`.
   */
  private async ok<T>(reply: Promise<Reply<T>>, what: string, see?: RequirementId): Promise<T> {
    const r = await reply;
    if (r.status < 200 || r.status > 299) throw new Inconclusive(`${this.role} could not ${what}`, see, r.evidence);
    return r.body;
  }

  /** A /sync the story relies on (an observer's stream, a connected client) failed. */
  private syncFailed(reply: Reply<unknown>, what = 'sync'): Inconclusive {
    return new Inconclusive(`${this.role} could not ${what}`, undefined, reply.evidence);
  }

  // ---- presence -----------------------------------------------------------

  /** `PUT /presence/{userId}/status` with any body, for another user's ID if given. */
  async putPresence(body: unknown, of: Who = this): Promise<Reply> {
    if (idOf(of) === this.userId) await this.account.pacer.beforePut((body as { presence?: unknown } | undefined)?.presence, this.http.recorder, this.role);
    return this.request('PUT', `/_matrix/client/v3/presence/${encode(idOf(of))}/status`, body);
  }

  /**
   * Sets this user's presence; fails the test if the server refuses.
   * Resolves to when the PUT was sent (after any pacing): a declared timer
   * of hers runs from the server's receipt, never earlier (harness/story/presence/premise.ts).
   */
  async setPresence(presence: PresenceState, statusMsg?: string): Promise<number> {
    const body = statusMsg === undefined ? { presence } : { presence, status_msg: statusMsg };
    const reply = this.putPresence(body);
    await this.ok(reply, `set presence ${presence}`, 'PRES-PUT-ROUNDTRIP');
    return sentAt(await reply);
  }

  /** `GET /presence/{userId}/status`; every 200 body is checked against the invariants. */
  async getPresence(of: Who = this): Promise<Reply<PresenceStatus>> {
    const reply = await this.request<PresenceStatus>('GET', `/_matrix/client/v3/presence/${encode(idOf(of))}/status`);
    if (reply.status === 200) this.watch.inspect('get-status', reply.body, reply.exchange.seq);
    return reply;
  }

  /** The presence of `of` as GET reports it; a non-200 makes the test inconclusive (a step, not the check). */
  async presenceOf(of: Who = this): Promise<PresenceStatus> {
    return this.ok(this.getPresence(of), `read the presence of ${idOf(of)}`, idOf(of) === this.userId ? 'PRES-PUT-ROUNDTRIP' : 'PRES-VIS-SHARED-GET');
  }

  // ---- rooms and messages --------------------------------------------------

  /** Creates a room; `invite` users are invited (they still have to join). */
  async createRoom(options: { invite?: MatrixUser[]; public?: boolean; name?: string } = {}): Promise<string> {
    const body = await this.ok(
      // Not retried: a second createRoom would make a second room.
      this.setupRequest<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
        preset: options.public ? 'public_chat' : 'private_chat',
        visibility: 'private',
        name: options.name,
        invite: (options.invite ?? []).map((u) => u.userId),
      }, 'once'),
      'create a room',
    );
    return body.room_id;
  }

  async invite(roomId: string, who: Who): Promise<void> {
    // Not retried: a repeated invite may be refused for the first one.
    await this.ok(this.setupRequest('POST', `/_matrix/client/v3/rooms/${encode(roomId)}/invite`, { user_id: idOf(who) }, 'once'), `invite ${idOf(who)}`);
  }

  async join(roomId: string): Promise<void> {
    // Joining a room one has joined changes nothing: safe to retry.
    await this.ok(this.setupRequest('POST', `/_matrix/client/v3/join/${encode(roomId)}`, {}, 'retry'), `join ${roomId}`);
  }

  async leave(roomId: string): Promise<void> {
    await this.ok(this.request('POST', `/_matrix/client/v3/rooms/${encode(roomId)}/leave`, {}), `leave ${roomId}`);
  }

  /** The user IDs joined to a room, as this user's server knows them (`GET /rooms/{roomId}/joined_members`). */
  async joinedMembers(roomId: string): Promise<string[]> {
    const body = await this.ok(this.request<{ joined?: Record<string, unknown> }>('GET', `/_matrix/client/v3/rooms/${encode(roomId)}/joined_members`), 'read the joined members');
    return Object.keys(body.joined ?? {});
  }

  /** Sends an `m.room.message` text: the spec's example of a pro-active event. */
  async sendMessage(roomId: string, text: string): Promise<string> {
    const txnId = `pc${Date.now()}.${++this.txn}`;
    const body = await this.ok(
      this.request<{ event_id: string }>('PUT', `/_matrix/client/v3/rooms/${encode(roomId)}/send/m.room.message/${encode(txnId)}`, { msgtype: 'm.text', body: text }),
      'send a message',
    );
    return body.event_id;
  }

  /** `GET /rooms/{roomId}/messages`, newest first: reading, not a pro-active event. */
  async readMessages(roomId: string, limit = 10): Promise<Reply> {
    return this.request('GET', `/_matrix/client/v3/rooms/${encode(roomId)}/messages`, undefined, { dir: 'b', limit });
  }

  // ---- sync ---------------------------------------------------------------

  /** One /sync call; incremental after the first. Presence events are inspected and kept. */
  async sync(options: SyncOptions = {}): Promise<Reply<SyncBody>> {
    const timeout = options.timeoutMs ?? 0;
    await this.account.pacer.beforeSync(options.setPresence, this.http.recorder, this.role, options.signal);
    if (options.signal?.aborted) throw new RequestAborted(`${this.role}'s /sync cancelled while paced`);
    const reply = await this.request<SyncBody>(
      'GET',
      '/_matrix/client/v3/sync',
      undefined,
      { since: options.initial ? undefined : this.since, timeout, set_presence: options.setPresence },
      timeout + 15_000,
      options.signal,
    );
    if (reply.status === 200) {
      if (reply.body.next_batch) this.since = reply.body.next_batch;
      const receivedAt = Date.now();
      const requestedAt = Date.parse(reply.exchange.startedAt);
      for (const event of reply.body.presence?.events ?? []) {
        this.watch.inspect('sync-event', event, reply.exchange.seq);
        this.received.push({ event, requestedAt, receivedAt, exchangeSeq: reply.exchange.seq });
      }
    }
    return reply;
  }

  /**
   * Syncs (long-polling) until `predicate` accepts a response, or fails at
   * `deadline` with the last response as evidence.
   */
  async syncUntil<R>(
    predicate: (body: SyncBody) => R | undefined | false,
    options: { deadline: number; what: string; setPresence?: SetPresence; pollMs?: number },
  ): Promise<R> {
    return eventually(
      async (left) => {
        const reply = await this.sync({ setPresence: options.setPresence, timeoutMs: Math.min(left, options.pollMs ?? 2_000) });
        if (reply.status !== 200) throw this.syncFailed(reply);
        return reply.body;
      },
      predicate,
      { deadline: options.deadline, what: `${this.role} to see ${options.what}`, intervalMs: 0, recorder: this.http.recorder, show: summariseSync },
    );
  }

  /**
   * Keeps long-polling /sync until `until`: a window of observation, not a
   * wait for something. Presence events received are kept (`receivedFrom`);
   * `violates` may name a problem in a response, which ends the window as a
   * failure at once.
   */
  async syncThroughout(options: {
    until: number;
    what: string;
    violates?: (body: SyncBody) => string | undefined;
    setPresence?: SetPresence;
    pollMs?: number;
  }): Promise<void> {
    await throughout(
      async (left) => {
        const reply = await this.sync({ setPresence: options.setPresence, timeoutMs: Math.min(left, options.pollMs ?? 2_000) });
        if (reply.status !== 200) throw this.syncFailed(reply);
        return reply.body;
      },
      (body) => options.violates?.(body),
      { until: options.until, what: `${this.role} watching ${options.what}`, intervalMs: 0, recorder: this.http.recorder, show: summariseSync },
    );
  }

  /**
   * Syncs until an `m.presence` event about `of` satisfies `accept`; returns
   * its content. Only events received by this call's syncs count.
   */
  async seesPresence(
    of: Who,
    accept: (content: PresenceContent) => boolean,
    options: { deadline: number; what: string; setPresence?: SetPresence },
  ): Promise<PresenceContent> {
    const sender = idOf(of);
    return this.syncUntil(
      (body) => body.presence?.events?.filter((e) => isAbout(e, sender)).map((e) => e.content).find(accept),
      { ...options, what: `${sender}: ${options.what}` },
    );
  }

  /**
   * One look at `of`'s presence as this device has it: the `m.presence`
   * events about `of` in one /sync (long-polling up to `pollMs`), then a GET.
   * A GET refused to this device makes the test inconclusive: callers look at roommates.
   */
  async observePresence(of: Who, options: { pollMs?: number } = {}): Promise<PresenceSighting[]> {
    const sender = idOf(of);
    const synced = await this.sync({ timeoutMs: options.pollMs ?? 1_000 });
    if (synced.status !== 200) throw this.syncFailed(synced);
    const syncSpan = spanOf(synced);
    const sightings: PresenceSighting[] = (synced.body.presence?.events ?? [])
      .filter((e) => isAbout(e, sender))
      .map((e) => ({ via: 'sync' as const, content: e.content, ...syncSpan }));
    const got = await this.getPresence(of);
    if (got.status !== 200) throw new Inconclusive(`${this.role} could not read the presence of ${sender}, a roommate`, 'PRES-VIS-SHARED-GET', got.evidence);
    sightings.push({ via: 'get', content: got.body, ...spanOf(got) });
    return sightings;
  }

  /**
   * Runs `story` while this device stays connected: back-to-back /sync
   * long-polls of `pollMs` with the given `set_presence`, stopped (and
   * awaited) when the story ends. A failing sync fails the test.
   */
  whileSyncing<T>(options: { setPresence?: SetPresence; pollMs: number }, story: () => Promise<T>): Promise<T> {
    return keepPolling(async (signal) => {
      const reply = await this.sync({ setPresence: options.setPresence, timeoutMs: options.pollMs, signal });
      if (reply.status !== 200) throw this.syncFailed(reply, 'keep syncing');
    }, story);
  }

  /**
   * A sliding-sync (MSC4186) connection of this device at `path` (found by
   * harness/story/presence/sliding-sync.ts); its requests are recorded as
   * this device's, and its `set_presence` paced like its /sync's.
   */
  slidingSync(path: string): SlidingSyncClient {
    return new SlidingSyncClient(
      path,
      this.role,
      (r) => this.request<SlidingSyncBody>('POST', r.path, r.body, r.query, r.timeoutMs, r.signal),
      async (setPresence, signal) => {
        await this.account.pacer.beforeSync(setPresence, this.http.recorder, this.role, signal);
        if (signal?.aborted) throw new RequestAborted(`${this.role}'s sliding sync cancelled while paced`);
      },
    );
  }

  /** Presence events about `of` received so far, oldest first. */
  receivedFrom(of: Who): ReceivedPresence[] {
    const sender = idOf(of);
    return this.received.filter((r) => isAbout(r.event, sender));
  }

  // ---- devices ------------------------------------------------------------

  /** Logs the same account in again as a new device (`alice#2`). */
  async loginDevice(): Promise<MatrixUser> {
    const n = ++this.devices;
    const role = `${this.role}#${n}`;
    const { adminToken } = this.account;
    if (adminToken) this.http.recorder.note(`${role} logs in through Synapse's admin login API (no login rate limit; a session without a device ID)`);
    const session = adminToken
      ? await adminLogin(this.http, adminToken, this.userId, role)
      : await loginNewDevice(this.http, this.userId, this.password, `${this.session.deviceId || 'PC'}_${n}`, role);
    this.account.announceDevice?.(session);
    return new MatrixUser(this.http, role, session, this.password, this.watch, this.account);
  }
}

/**
 * Whether an `m.presence` event is about `userId`: its `sender`, or, for an
 * event malformed in the shape of the federation EDU, `content.user_id`. A
 * missing `sender` is PRES-SCHEMA-EVENT's finding (the invariants report it);
 * reading the event anyway keeps every other test judging what it is about.
 */
export function isAbout(event: PresenceEvent, userId: string): boolean {
  return (event.sender ?? (event.content as { user_id?: unknown } | undefined)?.user_id) === userId;
}

/** When a request left the harness (epoch ms): a server's timer started by it runs from no earlier. */
export function sentAt(reply: Reply<unknown>): number {
  return Date.parse(reply.exchange.startedAt);
}

/** When the server produced a reply: after the request left, before the response arrived (epoch ms). */
export function spanOf(reply: Reply<unknown>): { from: number; to: number } {
  const from = Date.parse(reply.exchange.startedAt);
  return { from, to: from + reply.exchange.durationMs };
}

function summariseSync(body: unknown): string {
  const sync = body as SyncBody | undefined;
  const events = sync?.presence?.events ?? [];
  return events.length === 0 ? 'a sync with no presence events' : JSON.stringify(events).slice(0, 600);
}
