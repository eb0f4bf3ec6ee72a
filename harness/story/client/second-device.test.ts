import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeUpstream, json } from '../../testing/fake-upstream.js';
import { registerUser } from './registration.js';
import { HttpTransport } from './http.js';
import { MatrixUser } from './matrix-user.js';
import { PresencePacer } from './presence-pacer.js';
import { PresenceWatch } from './presence-watch.js';
import { Recorder } from './recorder.js';

const alice = { userId: '@alice:hs', accessToken: 'token-alice-0001', deviceId: 'D1' };

describe('second devices', () => {
  let server: FakeUpstream | undefined;
  afterEach(async () => server?.stop());

  function device(recorder: Recorder, adminToken?: string): MatrixUser {
    const http = new HttpTransport(server!.url, recorder);
    return new MatrixUser(http, 'alice', alice, 'pw-alice-0001', new PresenceWatch(recorder, Date.now()), { pacer: new PresencePacer(undefined), ...(adminToken ? { adminToken } : {}) });
  }

  it('log in through the admin login API when the run has an admin, which no login rate limit blocks', async () => {
    server = await new FakeUpstream((req, _body, res) => {
      if (req.url === '/_synapse/admin/v1/users/%40alice%3Ahs/login' && req.headers.authorization === 'Bearer token-admin-0001') return json(res, 200, { access_token: 'token-alice-admin-2' });
      json(res, 429, { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 240_000 });
    }).start();
    const recorder = new Recorder();
    const laptop = await device(recorder, 'token-admin-0001').loginDevice();

    expect(laptop.role).toBe('alice#2');
    expect(laptop.userId).toBe('@alice:hs');
    expect(recorder.exchanges.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['POST /_synapse/admin/v1/users/%40alice%3Ahs/login 200']);
    expect(recorder.notes[0]).toMatch(/alice#2 logs in through Synapse's admin login API/);
  });

  it('log in with the password otherwise', async () => {
    server = await new FakeUpstream((req, _body, res) => {
      if (req.url === '/_matrix/client/v3/login') return json(res, 200, { user_id: '@alice:hs', access_token: 'token-alice-0002', device_id: 'D1_2' });
      json(res, 404, {});
    }).start();
    const laptop = await device(new Recorder()).loginDevice();
    expect(laptop.deviceId).toBe('D1_2');
  });
});

describe('the preflight admin', () => {
  let server: FakeUpstream | undefined;
  afterEach(async () => server?.stop());

  it('is registered by shared secret with the HMAC over "admin" and admin: true', async () => {
    let posted: Record<string, unknown> = {};
    server = await new FakeUpstream((req, body, res) => {
      if (req.method === 'GET') return json(res, 200, { nonce: 'n1' });
      posted = JSON.parse(body) as Record<string, unknown>;
      json(res, 200, { user_id: '@admin:hs', access_token: 'token-admin-0001', device_id: 'A' });
    }).start();
    await registerUser(new HttpTransport(server.url, new Recorder()), { kind: 'shared-secret', secret: 'complement' }, 'admin', 'pw-admin-0001', { admin: true });

    expect(posted).toMatchObject({ admin: true, mac: createHmac('sha1', 'complement').update('n1\0admin\0pw-admin-0001\0admin').digest('hex') });
  });
});
