/**
 * The loopback baseline's server (issue 21.4): a trivial in-memory stand-in
 * for a homeserver that answers exactly the Client-Server requests the bench
 * makes (registration, rooms, presence, messages, long-poll /sync) and hands
 * a presence change to every roommate's waiting /sync at once. Benched
 * against it, the bench measures what the harness itself adds: its own
 * request, parsing and matching time, on the same machine. Never a verdict:
 * it judges nothing and is judged by nothing (real servers only give those).
 *
 * Only what the bench needs, done the obvious way: presence goes only to
 * users sharing a room with its sender (the sender included, as Synapse
 * does), so a leak against it is the harness's bug; anything else is
 * answered 404 M_UNRECOGNIZED and counted, so a test sees a request the
 * echo server does not know.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PresenceEvent {
  type: 'm.presence';
  sender: string;
  content: { presence: string; status_msg?: string };
}

/** The longest a /sync is held: the bench asks for 30 s; a client asking more gets this. */
const MAX_SYNC_TIMEOUT_MS = 60_000;
/** Bodies are small JSON; anything larger is refused rather than buffered. */
const MAX_BODY_BYTES = 64 * 1024;

interface User {
  userId: string;
  password: string;
  deviceId: string;
}

interface Waiter {
  userId: string;
  answer: () => void;
}

class Answer extends Error {
  constructor(readonly status: number, readonly errcode: string, message: string) {
    super(message);
  }
}

export class EchoServer {
  readonly serverName = 'echo.localhost';
  /** Requests it did not know (method and path), for tests and for a driver to report. */
  readonly unrecognised: string[] = [];
  /** Told of each request it did not know, as it comes (the child process reports it on stderr). */
  onUnrecognised?: (request: string) => void;
  private readonly users = new Map<string, User>();
  private readonly tokens = new Map<string, string>();
  private readonly rooms = new Map<string, Set<string>>();
  /** Every presence change, in order; a sync token is an index into it. */
  private readonly log: PresenceEvent[] = [];
  private readonly latest = new Map<string, PresenceEvent>();
  private readonly waiters = new Set<Waiter>();
  /** The rooms each user is in: whether two users share one is asked for every event a /sync may show. */
  private readonly roomsOf = new Map<string, Set<string>>();
  private counter = 0;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  /** Listens on 127.0.0.1 (a free port unless given): loopback only. */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    // Long-polls plus keep-alive: the default 5 s keep-alive would cut idle bench connections.
    this.server.keepAliveTimeout = MAX_SYNC_TIMEOUT_MS + 5_000;
    this.server.headersTimeout = MAX_SYNC_TIMEOUT_MS + 10_000;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters) w.answer();
    this.waiters.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Whether two users share a room: who may see whose presence. */
  shares(a: string, b: string): boolean {
    if (a === b) return true;
    for (const roomId of this.roomsOf.get(a) ?? []) if (this.rooms.get(roomId)?.has(b)) return true;
    return false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const reply = await this.route(req.method ?? 'GET', url, req.headers.authorization, body);
      send(res, 200, reply);
    } catch (cause) {
      if (cause instanceof Answer) send(res, cause.status, { errcode: cause.errcode, error: cause.message });
      else send(res, 500, { errcode: 'M_UNKNOWN', error: String(cause) });
    }
  }

  private async route(method: string, url: URL, authorization: string | undefined, body: Record<string, unknown>): Promise<unknown> {
    const parts = url.pathname.split('/').map(decodeURIComponent);
    const route = `${method} ${url.pathname}`;
    if (route === 'GET /_matrix/client/versions') return { versions: ['v1.11'], unstable_features: {} };
    if (!url.pathname.startsWith('/_matrix/client/v3/')) return this.unknown(method, url);
    const [, , , , what, a, b, c] = parts;
    if (method === 'POST' && what === 'register') return this.register(body);
    if (method === 'POST' && what === 'login') return this.login(body);
    const me = this.authenticate(authorization ?? bearerFromQuery(url));
    if (method === 'GET' && what === 'account' && a === 'whoami') return { user_id: me, device_id: this.users.get(localpart(me))!.deviceId };
    if (method === 'POST' && what === 'account' && a === 'deactivate') return this.deactivate(me);
    if (method === 'POST' && what === 'logout') return {};
    if (method === 'POST' && what === 'createRoom') return this.createRoom(me);
    if (method === 'POST' && what === 'join' && a) return this.join(me, a);
    if (method === 'POST' && what === 'rooms' && a && b === 'join') return this.join(me, a);
    if (method === 'POST' && what === 'rooms' && a && b === 'leave') return this.leave(me, a);
    if (method === 'GET' && what === 'rooms' && a && b === 'joined_members') return this.joinedMembers(me, a);
    if (method === 'PUT' && what === 'rooms' && a && b === 'send' && c) return this.sendMessage(me, a);
    if (method === 'PUT' && what === 'presence' && a && b === 'status') return this.setPresence(me, a, body);
    if (method === 'GET' && what === 'presence' && a && b === 'status') return this.getPresence(me, a);
    if (method === 'GET' && what === 'sync') return this.sync(me, url.searchParams);
    return this.unknown(method, url);
  }

  private unknown(method: string, url: URL): never {
    this.unrecognised.push(`${method} ${url.pathname}`);
    this.onUnrecognised?.(`${method} ${url.pathname}`);
    throw new Answer(404, 'M_UNRECOGNIZED', `the echo server does not answer ${method} ${url.pathname}`);
  }

  /** Open registration without user-interactive auth: the bench's registration is set-up, not measured. */
  private register(body: Record<string, unknown>): unknown {
    const username = typeof body.username === 'string' && body.username !== '' ? body.username : `u${++this.counter}`;
    if (!/^[a-z0-9._=\-/]+$/.test(username)) throw new Answer(400, 'M_INVALID_USERNAME', 'invalid username');
    if (this.users.has(username)) throw new Answer(400, 'M_USER_IN_USE', 'user ID already taken');
    const user: User = { userId: `@${username}:${this.serverName}`, password: String(body.password ?? ''), deviceId: `D${++this.counter}` };
    this.users.set(username, user);
    return this.session(user);
  }

  private login(body: Record<string, unknown>): unknown {
    const identifier = body.identifier as { user?: unknown } | undefined;
    const name = String(identifier?.user ?? body.user ?? '');
    const user = this.users.get(name.startsWith('@') ? localpart(name) : name);
    if (!user || user.password !== body.password) throw new Answer(403, 'M_FORBIDDEN', 'invalid username or password');
    return this.session(user);
  }

  private session(user: User): unknown {
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, user.userId);
    return { user_id: user.userId, access_token: token, device_id: user.deviceId };
  }

  private authenticate(authorization: string | undefined): string {
    const token = authorization?.replace(/^Bearer /, '');
    if (!token) throw new Answer(401, 'M_MISSING_TOKEN', 'missing access token');
    const userId = this.tokens.get(token);
    if (!userId) throw new Answer(401, 'M_UNKNOWN_TOKEN', 'unknown access token');
    return userId;
  }

  private deactivate(me: string): unknown {
    for (const roomId of this.roomsOf.get(me) ?? []) this.rooms.get(roomId)?.delete(me);
    this.roomsOf.delete(me);
    for (const [token, userId] of this.tokens) if (userId === me) this.tokens.delete(token);
    this.users.delete(localpart(me));
    return { id_server_unbind_result: 'no-support' };
  }

  private createRoom(me: string): unknown {
    const roomId = `!r${++this.counter}:${this.serverName}`;
    this.rooms.set(roomId, new Set());
    return this.join(me, roomId);
  }

  private room(roomId: string): Set<string> {
    const members = this.rooms.get(roomId);
    if (!members) throw new Answer(404, 'M_NOT_FOUND', 'unknown room');
    return members;
  }

  private join(me: string, roomId: string): unknown {
    this.room(roomId).add(me);
    let mine = this.roomsOf.get(me);
    if (!mine) this.roomsOf.set(me, (mine = new Set()));
    mine.add(roomId);
    return { room_id: roomId };
  }

  private leave(me: string, roomId: string): unknown {
    this.room(roomId).delete(me);
    this.roomsOf.get(me)?.delete(roomId);
    return {};
  }

  private joinedMembers(me: string, roomId: string): unknown {
    const members = this.room(roomId);
    if (!members.has(me)) throw new Answer(403, 'M_FORBIDDEN', 'not in the room');
    return { joined: Object.fromEntries([...members].map((m) => [m, {}])) };
  }

  private sendMessage(me: string, roomId: string): unknown {
    if (!this.room(roomId).has(me)) throw new Answer(403, 'M_FORBIDDEN', 'not in the room');
    return { event_id: `$e${++this.counter}` };
  }

  private setPresence(me: string, subject: string, body: Record<string, unknown>): unknown {
    if (subject !== me) throw new Answer(403, 'M_FORBIDDEN', 'cannot set the presence of another user');
    if (typeof body.presence !== 'string') throw new Answer(400, 'M_BAD_JSON', 'presence is required');
    const content: PresenceEvent['content'] = { presence: body.presence };
    if (typeof body.status_msg === 'string') content.status_msg = body.status_msg;
    const event: PresenceEvent = { type: 'm.presence', sender: me, content };
    this.log.push(event);
    this.latest.set(me, event);
    // Immediately: every waiting /sync that may see it answers now.
    for (const w of this.waiters) if (this.shares(w.userId, me)) w.answer();
    return {};
  }

  private getPresence(me: string, subject: string): unknown {
    if (!this.shares(me, subject)) throw new Answer(403, 'M_FORBIDDEN', 'no shared room');
    const event = this.latest.get(subject);
    if (!event) throw new Answer(404, 'M_NOT_FOUND', 'no presence known');
    return event.content;
  }

  /**
   * /sync: the presence changes since `since` that the user may see, at
   * once if there are any, else held until one comes or `timeout` passes.
   * Without `since`, the latest presence of everyone the user shares a room
   * with (what a first sync shows on a real server).
   */
  private async sync(me: string, query: URLSearchParams): Promise<unknown> {
    const sinceText = query.get('since');
    if (sinceText === null) {
      const events = [...this.latest.values()].filter((e) => this.shares(me, e.sender));
      return syncBody(this.log.length, events);
    }
    const since = Number(sinceText);
    if (!Number.isInteger(since) || since < 0 || since > this.log.length) throw new Answer(400, 'M_INVALID_PARAM', 'unknown since token');
    const visible = () => this.log.slice(since).filter((e) => this.shares(me, e.sender));
    let events = visible();
    const timeout = Math.min(Math.max(0, Number(query.get('timeout') ?? 0) || 0), MAX_SYNC_TIMEOUT_MS);
    if (events.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const waiter: Waiter = { userId: me, answer: () => { clearTimeout(timer); this.waiters.delete(waiter); resolve(); } };
        const timer = setTimeout(waiter.answer, timeout);
        this.waiters.add(waiter);
      });
      events = visible();
    }
    return syncBody(this.log.length, events);
  }
}

function syncBody(position: number, events: PresenceEvent[]): unknown {
  return { next_batch: String(position), presence: { events }, rooms: {}, account_data: { events: [] } };
}

function localpart(userId: string): string {
  return userId.slice(1).split(':')[0] ?? '';
}

function bearerFromQuery(url: URL): string | undefined {
  const token = url.searchParams.get('access_token');
  return token === null ? undefined : `Bearer ${token}`;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Answer(413, 'M_TOO_LARGE', 'body too large');
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw new Answer(400, 'M_NOT_JSON', 'body is not JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
