import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closePools } from '../story/client/http.js';
import { cleanUpUsers } from './clean-up.js';
import type { LedgerEntry } from './ledger.js';

/** What the stub homeserver saw: one line per request, `METHOD path user` (user by token). */
type Log = string[];

interface StubAccount {
  userId: string;
  password: string;
  rooms: string[];
  tokens: Set<string>;
  deactivated?: boolean;
}

/**
 * A stand-in homeserver on 127.0.0.1 for the clean-up's requests: login,
 * joined_rooms, leave, account/deactivate with UIA (m.login.password),
 * logout/all. `quirks` bend it per test.
 */
async function stubServer(accounts: StubAccount[], quirks: { rateLimitLeaveOnce?: boolean; refuseDeactivate?: string; hang?: boolean } = {}): Promise<{ server: Server; baseUrl: string; log: Log }> {
  const log: Log = [];
  let limited = false;
  const byToken = (req: IncomingMessage) => accounts.find((a) => !a.deactivated && a.tokens.has((req.headers.authorization ?? '').replace('Bearer ', '')));
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = text ? (JSON.parse(text) as Record<string, any>) : {};
    const send = (status: number, answer: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    const path = decodeURIComponent(req.url ?? '');
    const me = byToken(req);
    const token = (req.headers.authorization ?? '').replace('Bearer ', '');
    // By whoever the token was given to, valid or not.
    const holder = accounts.find((a) => token.includes(a.userId.slice(1, a.userId.indexOf(':'))))?.userId ?? '-';
    log.push(`${req.method} ${path} ${holder}`);
    if (quirks.hang) return; // never answers
    if (path === '/_matrix/client/v3/login') {
      const account = accounts.find((a) => (a.userId === body.identifier.user || a.userId.startsWith(`@${body.identifier.user}:`)) && a.password === body.password);
      if (!account || account.deactivated) return send(403, { errcode: 'M_FORBIDDEN', error: 'Invalid username or password' });
      const token = `login-token-${account.userId}-${account.tokens.size}`;
      account.tokens.add(token);
      return send(200, { user_id: account.userId, access_token: token, device_id: 'D' });
    }
    if (!me) return send(401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Unknown token' });
    if (path === '/_matrix/client/v3/joined_rooms') return send(200, { joined_rooms: me.rooms });
    const leave = /^\/_matrix\/client\/v3\/rooms\/(.+)\/leave$/.exec(path);
    if (leave) {
      if (quirks.rateLimitLeaveOnce && !limited) {
        limited = true;
        return send(429, { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 50 });
      }
      me.rooms = me.rooms.filter((r) => r !== leave[1]);
      return send(200, {});
    }
    if (path === '/_matrix/client/v3/account/deactivate') {
      if (quirks.refuseDeactivate === me.userId) return send(403, { errcode: 'M_FORBIDDEN', error: 'not today' });
      const auth = body.auth as Record<string, any> | undefined;
      if (!auth) return send(401, { session: `uia-${me.userId}`, flows: [{ stages: ['m.login.password'] }], params: {} });
      if (auth.type !== 'm.login.password' || auth.session !== `uia-${me.userId}` || auth.identifier?.user !== me.userId || auth.password !== me.password) {
        return send(401, { errcode: 'M_FORBIDDEN', session: auth.session, flows: [{ stages: ['m.login.password'] }] });
      }
      me.deactivated = true;
      me.tokens.clear();
      return send(200, { id_server_unbind_result: 'success' });
    }
    if (path === '/_matrix/client/v3/logout/all') {
      me.tokens.clear();
      return send(200, {});
    }
    send(404, { errcode: 'M_UNRECOGNIZED' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log };
}

// Token names hold their holder's localpart.
const account = (name: string, rooms: string[] = []): StubAccount => ({ userId: `@${name}:hs`, password: `pw-${name}-0123456789`, rooms, tokens: new Set([`token-${name}-0123456789`]) });
const entryOf = (baseUrl: string, a: StubAccount, registered = true): LedgerEntry => ({
  baseUrl,
  username: a.userId.slice(1).split(':')[0]!,
  password: a.password,
  ...(registered ? { userId: a.userId } : {}),
  tokens: registered ? [...a.tokens] : [],
});
const soon = (ms = 10_000) => Date.now() + ms;

describe('cleanUpUsers', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    server?.close();
    await closePools();
  });

  it('makes each user leave every joined room, then deactivates it by UIA with its own password, then logs its tokens out', async () => {
    const alice = account('alice', ['!a:hs', '!b:hs']);
    const bob = account('bob', ['!a:hs']);
    const stub = await stubServer([alice, bob]);
    server = stub.server;

    const outcome = await cleanUpUsers([entryOf(stub.baseUrl, alice), entryOf(stub.baseUrl, bob)], { deadline: soon() });

    expect(outcome).toMatchObject({ made: 2, deactivated: 2, failed: [] });
    expect([alice, bob].map((a) => [a.deactivated, a.rooms])).toEqual([[true, []], [true, []]]);
    // In order, per user: list rooms, leave each, deactivate (401 + session, then with auth), log out.
    expect(stub.log.filter((l) => l.endsWith('@alice:hs'))).toEqual([
      'GET /_matrix/client/v3/joined_rooms @alice:hs',
      'POST /_matrix/client/v3/rooms/!a:hs/leave @alice:hs',
      'POST /_matrix/client/v3/rooms/!b:hs/leave @alice:hs',
      'POST /_matrix/client/v3/account/deactivate @alice:hs',
      'POST /_matrix/client/v3/account/deactivate @alice:hs',
      'POST /_matrix/client/v3/logout/all @alice:hs',
    ]);
  });

  it('logs in with the password a user whose registration never answered, and does not count one that was never created', async () => {
    const carol = account('carol', ['!c:hs']);
    const stub = await stubServer([carol]);
    server = stub.server;
    const ghost: LedgerEntry = { baseUrl: stub.baseUrl, username: 'ghost', password: 'pw-ghost-0123456789', tokens: [] };

    const outcome = await cleanUpUsers([entryOf(stub.baseUrl, carol, false), ghost], { deadline: soon() });

    expect(outcome).toMatchObject({ made: 1, deactivated: 1, failed: [] });
    expect(carol).toMatchObject({ deactivated: true, rooms: [] });
  });

  it('waits out a 429 and goes on', async () => {
    const dave = account('dave', ['!d:hs']);
    const stub = await stubServer([dave], { rateLimitLeaveOnce: true });
    server = stub.server;

    const outcome = await cleanUpUsers([entryOf(stub.baseUrl, dave)], { deadline: soon() });

    expect(outcome).toMatchObject({ made: 1, deactivated: 1, failed: [] });
    expect(stub.log.filter((l) => l.includes('/leave'))).toHaveLength(2);
  });

  it('names a user it could not remove, with the cause and no secret, and still removes the others', async () => {
    const erin = account('erin');
    const frank = account('frank', ['!f:hs']);
    const stub = await stubServer([erin, frank], { refuseDeactivate: '@erin:hs' });
    server = stub.server;

    const outcome = await cleanUpUsers([entryOf(stub.baseUrl, erin), entryOf(stub.baseUrl, frank)], { deadline: soon() });

    expect(outcome).toMatchObject({ made: 2, deactivated: 1, failed: ['@erin:hs'] });
    expect(outcome.firstCause).toMatch(/^@erin:hs could not be deactivated: .*403.*not today/);
    expect(frank.deactivated).toBe(true);
  });

  it('returns by its deadline when the server does not answer, naming every user as left active', async () => {
    const users = ['hank', 'ines', 'jon'].map((n) => account(n));
    const stub = await stubServer(users, { hang: true });
    server = stub.server;
    const started = Date.now();

    const outcome = await cleanUpUsers(users.map((u) => entryOf(stub.baseUrl, u)), { deadline: soon(1_000) });

    expect(Date.now() - started).toBeLessThan(2_500);
    expect(outcome).toMatchObject({ made: 3, deactivated: 0, failed: ['@hank:hs', '@ines:hs', '@jon:hs'], firstCause: 'the clean-up ran out of time' });
  });
});
