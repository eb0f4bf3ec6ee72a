import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransport } from './story/client/http.js';
import { Recorder } from './story/client/recorder.js';
import { RUN_SETUP_CONCURRENCY } from './story/client/setup-steps.js';
import { FakeUpstream, json } from './testing/fake-upstream.js';
import { registerUser } from './story/client/registration.js';

const SECRET = 'shared-secret-123';
// Wide enough that a loaded machine's event-loop stalls between a nonce's GET
// and its POST (a few hundred ms seen on 2 cores under 8 test processes) never
// expire it, and still shorter than a queue behind one slow step (SLOW_MS).
const NONCE_LIFE_MS = 1_500;
const SLOW_MS = 2_000;

/**
 * A Synapse-like shared-secret endpoint whose nonces live NONCE_LIFE_MS (60 s
 * in Synapse), and a slow set-up request (`/slow`, answered after 400 ms) to
 * keep the run's set-up slots busy.
 */
function fakeSynapse(options: { expireFirstPosts?: number } = {}) {
  const issued = new Map<string, number>();
  let n = 0;
  let posts = 0;
  return new FakeUpstream(async (req, body, res) => {
    if (req.url === '/slow') {
      await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
      return json(res, 200, {});
    }
    if (req.url === '/_synapse/admin/v1/register' && req.method === 'GET') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const nonce = `nonce-${++n}`;
      issued.set(nonce, Date.now());
      return json(res, 200, { nonce });
    }
    if (req.url === '/_synapse/admin/v1/register' && req.method === 'POST') {
      const { nonce = '', username = '', password = '', mac = '' } = JSON.parse(body) as Record<string, string | undefined>;
      const at = issued.get(nonce);
      issued.delete(nonce);
      if (++posts <= (options.expireFirstPosts ?? 0) || at === undefined || Date.now() - at > NONCE_LIFE_MS) {
        return json(res, 400, { errcode: 'M_UNKNOWN', error: 'unrecognised nonce' });
      }
      const expected = createHmac('sha1', SECRET).update(`${nonce}\0${username}\0${password}\0notadmin`).digest('hex');
      if (mac !== expected) return json(res, 403, { errcode: 'M_FORBIDDEN', error: 'HMAC incorrect' });
      return json(res, 200, { user_id: `@${username}:hs`, access_token: `token-${username}-0001`, device_id: 'D' });
    }
    json(res, 404, { errcode: 'M_UNRECOGNIZED' });
  });
}

describe('one-time values are fetched when used', () => {
  let server: FakeUpstream | undefined;
  afterEach(async () => server?.stop());

  it('gets the nonce in the same set-up slot as the POST that uses it, so a queue for slots cannot expire it', async () => {
    server = await fakeSynapse().start();
    const recorder = new Recorder();
    const http = new HttpTransport(server.url, recorder);
    // Registrations, then many slow set-up steps at once: every slot is busy
    // and a queue forms behind each nonce, longer than a nonce lives.
    const users = Array.from({ length: RUN_SETUP_CONCURRENCY * 2 }, (_, i) => registerUser(http, { kind: 'shared-secret', secret: SECRET }, `user${i}`, 'pw-000001'));
    const busy = Array.from({ length: RUN_SETUP_CONCURRENCY * 3 }, () => http.send({ method: 'GET', path: '/slow', actor: 'x', setup: 'once' }));
    const sessions = await Promise.all(users);
    await Promise.all(busy);

    expect(sessions.map((s) => s.userId)).toEqual(Array.from({ length: RUN_SETUP_CONCURRENCY * 2 }, (_, i) => `@user${i}:hs`));
    expect(recorder.exchanges.filter((e) => e.status === 400)).toEqual([]);
  });

  it('starts over with a fresh nonce when the server says the nonce expired', async () => {
    server = await fakeSynapse({ expireFirstPosts: 2 }).start();
    const recorder = new Recorder();
    const session = await registerUser(new HttpTransport(server.url, recorder), { kind: 'shared-secret', secret: SECRET }, 'alice', 'pw-000001');

    expect(session.userId).toBe('@alice:hs');
    expect(recorder.exchanges.map((e) => `${e.method} ${e.status}`)).toEqual(['GET 200', 'POST 400', 'GET 200', 'POST 400', 'GET 200', 'POST 200']);
    const nonces = recorder.exchanges.filter((e) => e.method === 'POST').map((e) => (e.requestBody as { nonce: string }).nonce);
    expect(new Set(nonces).size).toBe(3);
  });

  it('waits out a rate-limited registration outside its slot, then starts over with a fresh nonce', async () => {
    let limited = false;
    let n = 0;
    server = await new FakeUpstream((req, _body, res) => {
      if (req.method === 'GET') return json(res, 200, { nonce: `nonce-${++n}` });
      if (!limited) {
        limited = true;
        return json(res, 429, { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 50 });
      }
      json(res, 200, { user_id: '@alice:hs', access_token: 'token-alice-0001', device_id: 'D' });
    }).start();
    const recorder = new Recorder();
    await registerUser(new HttpTransport(server.url, recorder), { kind: 'shared-secret', secret: SECRET }, 'alice', 'pw-000001');

    expect(recorder.exchanges.map((e) => `${e.method} ${e.status}`)).toEqual(['GET 200', 'POST 429', 'GET 200', 'POST 200']);
    expect(recorder.notes.join('\n')).toMatch(/POST \/_synapse\/admin\/v1\/register \(M_LIMIT_EXCEEDED\): rate-limited, waited 50 ms/);
  });
});

describe('user-interactive registration', () => {
  let server: FakeUpstream | undefined;
  afterEach(async () => server?.stop());

  /** Synapse's flows with `registration_requires_token`; `token` is the valid one; sessions expire after `expireSessions` uses. */
  function tokenServer(token: string, options: { expireFirstSessions?: number } = {}) {
    let sessions = 0;
    return new FakeUpstream((req, body, res) => {
      const auth = (JSON.parse(body) as { auth?: { type: string; token?: string; session?: string } }).auth;
      const flows = [{ stages: ['m.login.registration_token'] }];
      if (!auth) return json(res, 401, { flows, params: {}, session: `s${++sessions}` });
      if (sessions <= (options.expireFirstSessions ?? 0)) return json(res, 400, { errcode: 'M_UNKNOWN', error: `Unknown session ID: ${auth.session}` });
      if (auth.type !== 'm.login.registration_token' || auth.token !== token) {
        return json(res, 401, { flows, params: {}, session: auth.session, completed: [], errcode: 'M_UNAUTHORIZED', error: 'Invalid registration token' });
      }
      json(res, 200, { user_id: '@alice:hs', access_token: 'token-alice-0001', device_id: 'D' });
    });
  }

  it('registers with m.login.registration_token in the server\'s UIA session, the token redacted', async () => {
    server = await tokenServer('good-token-42').start();
    const recorder = new Recorder();
    const session = await registerUser(new HttpTransport(server.url, recorder), { kind: 'token', token: 'good-token-42' }, 'alice', 'pw-000001');

    expect(session.userId).toBe('@alice:hs');
    expect(recorder.exchanges.map((e) => e.status)).toEqual([401, 200]);
    expect(recorder.exchanges[1]?.requestBody).toMatchObject({ auth: { type: 'm.login.registration_token', session: 's1' } });
    expect(JSON.stringify(recorder.exchanges)).not.toContain('good-token-42');
  });

  it('starts over with a fresh session when the server no longer knows it', async () => {
    server = await tokenServer('good-token-42', { expireFirstSessions: 1 }).start();
    const recorder = new Recorder();
    await registerUser(new HttpTransport(server.url, recorder), { kind: 'token', token: 'good-token-42' }, 'alice', 'pw-000001');

    expect(recorder.exchanges.map((e) => e.status)).toEqual([401, 400, 401, 200]);
  });

  it('says in one line that a bad token was refused', async () => {
    server = await tokenServer('good-token-42').start();
    const attempt = registerUser(new HttpTransport(server.url, new Recorder()), { kind: 'token', token: 'bad-token-42' }, 'alice', 'pw-000001');
    await expect(attempt).rejects.toThrow(/registration with a token was refused at m\.login\.registration_token: .*Invalid registration token.*check --registration-token/);
    await expect(attempt).rejects.not.toThrow(/bad-token-42/);
  });
});
