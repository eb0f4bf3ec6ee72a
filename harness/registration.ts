import { createHmac } from 'node:crypto';
import { HarnessError, Inconclusive } from './errors.js';
import { TransportFailure, type HttpTransport, type Reply } from './client/http.js';
import { TRANSIENT_STATUSES, retryStep, type Attempt } from './client/setup-steps.js';
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

/**
 * Shared-secret registration, retried while the server is slow. The POST is
 * not idempotent and its nonce is single-use, so each attempt asks for a
 * fresh nonce. An attempt that got no answer (or a 502/503/504) may still
 * have registered the user; if a later attempt then hears "user in use", the
 * user is logged in with the password instead (the account is ours: nobody
 * else knows its name). A first attempt that hears "user in use" fails as before.
 */
async function sharedSecret(http: HttpTransport, secret: string, username: string, password: string): Promise<Session> {
  const path = '/_synapse/admin/v1/register';
  return registerRetrying(http, username, password, 'shared-secret registration', async (posting) => {
    // Sent once: a failed attempt starts again from here, with a fresh nonce.
    const nonceReply = await http.send<{ nonce?: string }>({ method: 'GET', path, actor: 'harness', setup: 'once' });
    if (TRANSIENT_STATUSES.has(nonceReply.status)) return nonceReply;
    if (nonceReply.status !== 200 || typeof nonceReply.body.nonce !== 'string') {
      throw new HarnessError(`shared-secret registration is not available (${nonceReply.evidence}); use --open-registration or check the target`);
    }
    const nonce = nonceReply.body.nonce;
    const mac = createHmac('sha1', secret)
      .update(`${nonce}\0${username}\0${password}\0notadmin`)
      .digest('hex');
    posting();
    return http.send({ method: 'POST', path, actor: 'harness', body: { nonce, username, password, admin: false, mac }, setup: 'once' });
  });
}

async function openRegistration(http: HttpTransport, username: string, password: string): Promise<Session> {
  const path = '/_matrix/client/v3/register';
  const body = { username, password, auth: { type: 'm.login.dummy' }, inhibit_login: false };
  return registerRetrying(http, username, password, 'open registration', async (posting) => {
    posting();
    const reply = await http.send({ method: 'POST', path, actor: 'harness', body, setup: 'once' });
    if (reply.status !== 401 || typeof reply.body.session !== 'string') return reply;
    // The user-interactive auth round trip: repeat with the server's session.
    return http.send({ method: 'POST', path, actor: 'harness', body: { ...body, auth: { type: 'm.login.dummy', session: reply.body.session } }, setup: 'once' });
  });
}

/**
 * Registration attempts (`attempt` sends one, from scratch, and calls
 * `posting` just before the request that creates the user) until one gets a
 * real answer, within the set-up budget; "user in use" after a creating
 * request without a real answer means that request created the user: log
 * in instead.
 */
async function registerRetrying(http: HttpTransport, username: string, password: string, what: string, attempt: (posting: () => void) => Promise<Reply>): Promise<Session> {
  let unanswered = false;
  return retryStep(async (): Promise<Attempt<Session>> => {
    let posted = false;
    let reply: Reply;
    try {
      reply = await attempt(() => (posted = true));
    } catch (cause) {
      if (!(cause instanceof TransportFailure) || cause.refused) throw cause;
      unanswered ||= posted;
      return { giveUp: (attempts) => { throw new TransportFailure(`${what} failed: ${cause.message} (${attempts})`); } };
    }
    if (TRANSIENT_STATUSES.has(reply.status)) {
      unanswered ||= posted;
      return { giveUp: (attempts) => sessionFrom(reply.status, reply.body, `${reply.evidence} (${attempts})`, what) };
    }
    if (unanswered && reply.status === 400 && reply.body.errcode === 'M_USER_IN_USE') {
      return { done: await loginNewDevice(http, username, password, undefined, 'harness') };
    }
    return { done: sessionFrom(reply.status, reply.body, reply.evidence, what) };
  }, { cancel: http.cancel });
}

/**
 * Logs an existing account in as a new device (`m.login.password`). With a
 * `deviceId`, logging in twice only replaces that device's token, so a slow
 * server's failure is retried; without one (recovering a registration whose
 * answer was lost) a retry would add a device nobody uses, which is harmless.
 */
export async function loginNewDevice(http: HttpTransport, userId: string, password: string, deviceId: string | undefined, actor: string): Promise<Session> {
  const reply = await http.send({
    method: 'POST',
    path: '/_matrix/client/v3/login',
    actor,
    body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: userId }, password, ...(deviceId ? { device_id: deviceId } : {}) },
    setup: 'retry',
  });
  if (reply.status !== 200) throw new Inconclusive(deviceId ? 'a second device could not log in' : `${userId} could not log in after a registration whose answer was lost`, undefined, reply.evidence);
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
