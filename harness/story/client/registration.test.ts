import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransport } from './http.js';
import { Recorder } from './recorder.js';
import { HarnessError } from '../../errors.js';
import { REDACTED } from '../../redact.js';
import { registerUser } from './registration.js';

const BASE = 'http://hs.test';
let agent: MockAgent;

function setup() {
  agent = new MockAgent();
  agent.disableNetConnect();
  const recorder = new Recorder();
  return { pool: agent.get(BASE), recorder, http: new HttpTransport(BASE, recorder, agent) };
}

afterEach(async () => agent.close());

describe('shared-secret registration', () => {
  it('retries a registration that got no answer with a fresh nonce, and logs in when the lost attempt had created the user', async () => {
    const { pool, http, recorder } = setup();
    const nonces: unknown[] = [];
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'GET' }).reply(200, { nonce: 'n1' });
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'POST' }).replyWithError(new Error('Headers Timeout Error'));
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'GET' }).reply(200, { nonce: 'n2' });
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'POST' }).reply(400, (opts) => {
      nonces.push(JSON.parse(String(opts.body)).nonce);
      return { errcode: 'M_USER_IN_USE', error: 'User ID already taken.' };
    });
    pool.intercept({ path: '/_matrix/client/v3/login', method: 'POST' }).reply(200, { user_id: '@alice:hs.test', access_token: 'tok-alice-2', device_id: 'D2' });

    const session = await registerUser(http, { kind: 'shared-secret', secret: 'complement' }, 'alice', 'pw-0001');

    expect(nonces).toEqual(['n2']);
    expect(session).toEqual({ userId: '@alice:hs.test', accessToken: 'tok-alice-2', deviceId: 'D2' });
    expect(recorder.exchanges.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /_synapse/admin/v1/register 200',
      'POST /_synapse/admin/v1/register 0',
      'GET /_synapse/admin/v1/register 200',
      'POST /_synapse/admin/v1/register 400',
      'POST /_matrix/client/v3/login 200',
    ]);
  });

  it('retries a nonce that got no answer, and still does not take "user in use" for its own when no POST was lost', async () => {
    const { pool, http, recorder } = setup();
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'GET' }).replyWithError(new Error('connect ECONNREFUSED'));
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'GET' }).reply(200, { nonce: 'n2' });
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'POST' }).reply(400, { errcode: 'M_USER_IN_USE' });

    await expect(registerUser(http, { kind: 'shared-secret', secret: 'complement' }, 'alice', 'pw-0001')).rejects.toThrow(/shared-secret registration failed.*M_USER_IN_USE/);
    expect(recorder.exchanges.map((e) => e.status)).toEqual([0, 200, 400]);
  });

  it('does not take "user in use" on a first attempt for its own user', async () => {
    const { pool, http } = setup();
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'GET' }).reply(200, { nonce: 'n1' });
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'POST' }).reply(400, { errcode: 'M_USER_IN_USE' });

    await expect(registerUser(http, { kind: 'shared-secret', secret: 'complement' }, 'alice', 'pw-0001')).rejects.toThrow(/shared-secret registration failed.*M_USER_IN_USE/);
  });

  it('signs nonce, user, password and "notadmin" with HMAC-SHA1 of the secret', async () => {
    const { pool, http, recorder } = setup();
    let posted: Record<string, unknown> = {};
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'GET' }).reply(200, { nonce: 'abc123' });
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'POST' }).reply(200, (opts) => {
      posted = JSON.parse(String(opts.body));
      return { user_id: '@alice:hs.test', access_token: 'tok-alice-1', device_id: 'DEV' };
    });

    const session = await registerUser(http, { kind: 'shared-secret', secret: 'complement' }, 'alice', 'pw-0001');

    // Expected MAC computed independently: python3 hmac.new(b'complement', b'abc123\0alice\0pw-0001\0notadmin', sha1)
    expect(posted.mac).toBe('6d9a6f211ffed37ac2db6c41bd39a5fc62cc6550');
    expect(posted).toMatchObject({ nonce: 'abc123', username: 'alice', admin: false });
    expect(session).toEqual({ userId: '@alice:hs.test', accessToken: 'tok-alice-1', deviceId: 'DEV' });
    expect(recorder.exchanges[1]?.requestBody).toMatchObject({ mac: REDACTED, password: REDACTED });
  });

  it('explains when the endpoint is missing', async () => {
    const { pool, http } = setup();
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'GET' }).reply(404, { errcode: 'M_UNRECOGNIZED' });

    await expect(registerUser(http, { kind: 'shared-secret', secret: 'x' }, 'alice', 'pw')).rejects.toThrow(/shared-secret registration is not available/);
  });

  it('reports a refused registration as a harness error with the exchange', async () => {
    const { pool, http } = setup();
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'GET' }).reply(200, { nonce: 'n' });
    pool.intercept({ path: '/_synapse/admin/v1/register', method: 'POST' }).reply(403, { errcode: 'M_FORBIDDEN', error: 'HMAC incorrect' });

    const attempt = registerUser(http, { kind: 'shared-secret', secret: 'wrong' }, 'alice', 'pw');
    await expect(attempt).rejects.toThrow(HarnessError);
    await expect(attempt).rejects.toThrow(/403.*HMAC incorrect/);
  });
});

describe('open registration', () => {
  it('completes the m.login.dummy round trip with the server session', async () => {
    const { pool, http } = setup();
    const bodies: Array<Record<string, unknown>> = [];
    pool.intercept({ path: '/_matrix/client/v3/register', method: 'POST' }).reply(401, (opts) => {
      bodies.push(JSON.parse(String(opts.body)));
      return { session: 'sess-1', flows: [{ stages: ['m.login.dummy'] }] };
    });
    pool.intercept({ path: '/_matrix/client/v3/register', method: 'POST' }).reply(200, (opts) => {
      bodies.push(JSON.parse(String(opts.body)));
      return { user_id: '@bob:hs.test', access_token: 'tok-bob-12', device_id: 'D2' };
    });

    const session = await registerUser(http, { kind: 'open' }, 'bob', 'pw-bob-1');

    expect(bodies[1]?.auth).toEqual({ type: 'm.login.dummy', session: 'sess-1' });
    expect(session.userId).toBe('@bob:hs.test');
  });
});
