import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake upstream received. */
export interface Received {
  method: string;
  url: string;
  authorization?: string;
  body: string;
  /** Set once the connection closed before the answer was complete (client went away). */
  aborted: boolean;
}

export type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void | Promise<void>;

/**
 * A tiny local HTTP server standing in for the homeserver in the proxy's unit
 * tests (127.0.0.1, free port). It records what reaches it, so tests can see
 * what the proxy forwarded, and answers through `handler`.
 */
export class FakeUpstream {
  readonly received: Received[] = [];
  private readonly server: http.Server;

  constructor(private handler: Handler) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const entry: Received = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body: Buffer.concat(chunks).toString(), aborted: false };
        this.received.push(entry);
        res.on('close', () => {
          if (!res.writableFinished) entry.aborted = true;
        });
        void this.handler(req, entry.body, res);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Answers with a JSON body. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A minimal homeserver: register issues `token-<name>` for `@<name>:hs`
 * (`token-<name>~<n>` acts as another device of the same user), whoami knows
 * those tokens, sending a message answers an event ID, PUT/GET status keep each user's presence, GET of
 * someone else's status is 403 unless `shared` says the two share a room, and
 * /sync answers after `syncDelayMs` with the presence events queued for the user.
 */
export function miniHomeserver(options: { shared?: (a: string, b: string) => boolean; syncDelayMs?: number } = {}): { handler: Handler; queue: (to: string, event: unknown) => void } {
  const presence = new Map<string, Record<string, unknown>>();
  const queued = new Map<string, unknown[]>();
  const userOf = (req: IncomingMessage) => {
    // `token-alice~2` is a second device of @alice:hs.
    const token = /^Bearer token-([^~]+)(?:~\d+)?$/.exec(req.headers.authorization ?? '')?.[1];
    return token ? `@${token}:hs` : undefined;
  };
  const handler: Handler = async (req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const user = userOf(req);
    if (url.pathname === '/_synapse/admin/v1/register' && req.method === 'POST') {
      const { username } = JSON.parse(body) as { username: string };
      return json(res, 200, { user_id: `@${username}:hs`, access_token: `token-${username}`, device_id: 'D1' });
    }
    if (url.pathname === '/_matrix/client/v3/account/whoami') return user ? json(res, 200, { user_id: user }) : json(res, 401, { errcode: 'M_UNKNOWN_TOKEN' });
    const status = /^\/_matrix\/client\/v3\/presence\/([^/]+)\/status$/.exec(url.pathname);
    if (status) {
      const subject = decodeURIComponent(status[1]!);
      if (req.method === 'PUT') {
        if (subject !== user) return json(res, 403, { errcode: 'M_FORBIDDEN', error: 'Cannot set presence state of another user' });
        const put = JSON.parse(body) as Record<string, unknown>;
        if (!['online', 'unavailable', 'offline'].includes(put.presence as string)) return json(res, 400, { errcode: 'M_INVALID_PARAM', error: 'Invalid presence state' });
        presence.set(subject, { presence: put.presence, status_msg: put.status_msg ?? null, at: Date.now() });
        return json(res, 200, {});
      }
      if (subject !== user && !(user && options.shared?.(user, subject))) return json(res, 403, { errcode: 'M_FORBIDDEN', error: 'You are not allowed to see their presence.' });
      const p = presence.get(subject) ?? { presence: 'offline', status_msg: null, at: Date.now() };
      return json(res, 200, { presence: p.presence, status_msg: p.status_msg, last_active_ago: Date.now() - (p.at as number), currently_active: p.presence === 'online' });
    }
    if (req.method === 'PUT' && /^\/_matrix\/client\/v3\/rooms\/[^/]+\/send\//.test(url.pathname)) return json(res, 200, { event_id: '$e' });
    if (url.pathname === '/_matrix/client/v3/sync') {
      await new Promise((resolve) => setTimeout(resolve, options.syncDelayMs ?? 0));
      if (res.destroyed) return;
      const events = queued.get(user ?? '') ?? [];
      queued.delete(user ?? '');
      return json(res, 200, { next_batch: 's1', presence: { events } });
    }
    return json(res, 404, { errcode: 'M_UNRECOGNIZED' });
  };
  return { handler, queue: (to, event) => queued.set(to, [...(queued.get(to) ?? []), event]) };
}
