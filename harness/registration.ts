import { createHmac } from 'node:crypto';
import { HarnessError, Inconclusive } from './errors.js';
import type { HttpTransport } from './client/http.js';
import type { RegistrationMethod } from './targets/descriptor.js';
import { registerSecret } from './redact.js';

/** What a successful registration or login yields. */
export interface Session {
  userId: string;
  accessToken: string;
  deviceId: string;
}

/**
 * Registers `username` with `password` through the target's registration
 * method: Synapse-style shared-secret registration (HMAC-SHA1 over
 * nonce, user, password and admin flag) or open registration with
 * `m.login.dummy`.
 */
export async function registerUser(
  http: HttpTransport,
  method: RegistrationMethod,
  username: string,
  password: string,
): Promise<Session> {
  registerSecret(password);
  const session = method.kind === 'shared-secret'
    ? await sharedSecret(http, method.secret, username, password)
    : await openRegistration(http, username, password);
  registerSecret(session.accessToken);
  return session;
}

async function sharedSecret(http: HttpTransport, secret: string, username: string, password: string): Promise<Session> {
  const path = '/_synapse/admin/v1/register';
  const nonceReply = await http.send<{ nonce?: string }>({ method: 'GET', path, actor: 'harness' });
  if (nonceReply.status !== 200 || typeof nonceReply.body.nonce !== 'string') {
    throw new HarnessError(`shared-secret registration is not available (${nonceReply.evidence}); use --open-registration or check the target`);
  }
  const nonce = nonceReply.body.nonce;
  const mac = createHmac('sha1', secret)
    .update(`${nonce}\0${username}\0${password}\0notadmin`)
    .digest('hex');
  const reply = await http.send({ method: 'POST', path, actor: 'harness', body: { nonce, username, password, admin: false, mac } });
  return sessionFrom(reply.status, reply.body, reply.evidence, 'shared-secret registration');
}

async function openRegistration(http: HttpTransport, username: string, password: string): Promise<Session> {
  const path = '/_matrix/client/v3/register';
  const body = { username, password, auth: { type: 'm.login.dummy' }, inhibit_login: false };
  let reply = await http.send({ method: 'POST', path, actor: 'harness', body });
  if (reply.status === 401 && typeof reply.body.session === 'string') {
    // The user-interactive auth round trip: repeat with the server's session.
    reply = await http.send({ method: 'POST', path, actor: 'harness', body: { ...body, auth: { type: 'm.login.dummy', session: reply.body.session } } });
  }
  return sessionFrom(reply.status, reply.body, reply.evidence, 'open registration');
}

/** Logs an existing account in as a new device (`m.login.password`). */
export async function loginNewDevice(http: HttpTransport, userId: string, password: string, deviceId: string, actor: string): Promise<Session> {
  const reply = await http.send({
    method: 'POST',
    path: '/_matrix/client/v3/login',
    actor,
    body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: userId }, password, device_id: deviceId },
  });
  if (reply.status !== 200) throw new Inconclusive('a second device could not log in', undefined, reply.evidence);
  const session = sessionFrom(reply.status, reply.body, reply.evidence, 'login');
  registerSecret(session.accessToken);
  return session;
}

function sessionFrom(status: number, body: Record<string, unknown>, evidence: string, what: string): Session {
  const { user_id: userId, access_token: accessToken, device_id: deviceId } = body;
  if (status !== 200 || typeof userId !== 'string' || typeof accessToken !== 'string') {
    throw new HarnessError(`${what} failed: ${evidence}`);
  }
  return { userId, accessToken, deviceId: typeof deviceId === 'string' ? deviceId : '' };
}
