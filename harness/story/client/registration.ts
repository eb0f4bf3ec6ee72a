import { createHmac } from 'node:crypto';
import { HarnessError } from '../../errors.js';
import { Inconclusive } from '../errors.js';
import { TransportFailure, type HttpTransport, type Reply, type SendOptions } from './http.js';
import { isRateLimited } from './rate-limit.js';
import { TRANSIENT_STATUSES, retryStep, type Attempt } from './setup-steps.js';
import type { RegistrationMethod } from '../server-facts.js';
import { registerSecret } from '../../redact.js';

/** What a successful registration or login yields. */
export interface Session {
  userId: string;
  accessToken: string;
  deviceId: string;
}

/** What a registration may ask for beyond the user: an admin (the preflight's, for Synapse's admin APIs). */
export interface RegisterOptions {
  /** Shared-secret registration only: the user is a server admin (HMAC over "admin"). */
  admin?: boolean;
}

/**
 * Registers `username` with `password` through the target's registration
 * method: Synapse-style shared-secret registration (HMAC-SHA1 over
 * nonce, user, password and admin flag), open registration with
 * `m.login.dummy`, or a registration token (`m.login.registration_token`).
 */
export async function registerUser(
  http: HttpTransport,
  method: RegistrationMethod,
  username: string,
  password: string,
  options: RegisterOptions = {},
): Promise<Session> {
  registerSecret(password);
  if (method.kind === 'token') registerSecret(method.token);
  const session = method.kind === 'shared-secret'
    ? await sharedSecret(http, method.secret, username, password, options.admin ?? false)
    : await interactiveRegistration(http, username, password, method.kind === 'token' ? method.token : undefined);
  registerSecret(session.accessToken);
  return session;
}

/** A request of a step made in one slot, and its answer: what waiting out a rate limit needs. */
interface SlotStep {
  request: Pick<SendOptions, 'method' | 'path' | 'actor'>;
  reply: Reply;
}

/**
 * Runs `step` (requests that belong together: a nonce and its use, the rounds
 * of user-interactive auth) in one set-up slot, and starts it over, from
 * scratch, after waiting out a rate limit outside the slot: whatever
 * one-time value the step had got may have expired during the wait.
 */
function inOneSlot(http: HttpTransport, step: () => Promise<SlotStep>): Promise<Reply> {
  return http.untilNotRateLimited(() => http.inSlot(step));
}

/**
 * Whether the server says a one-time value the step used has expired or is
 * unknown: Synapse's nonce lives 60 s ("unrecognised nonce"), a UIA session
 * ends ("Unknown session ID"). The step then starts over with a fresh one.
 */
export function oneTimeValueExpired(reply: Reply): boolean {
  if (reply.status !== 400) return false;
  const error = typeof reply.body.error === 'string' ? reply.body.error : '';
  return /unrecognised nonce|unrecognized nonce|nonce.*(expired|invalid|unknown)|unknown session|session.*(expired|unknown|not found)/i.test(error);
}

/**
 * Shared-secret registration, retried while the server is slow. The nonce
 * has a lifetime (60 s in Synapse), so it is fetched in the same set-up slot
 * as the POST that uses it, and every attempt (after no answer, a 502/503/504,
 * a rate limit or an expired nonce) starts again with a fresh one. An attempt
 * that got no answer (or a 502/503/504) may still have registered the user;
 * if a later attempt then hears "user in use", the user is logged in with the
 * password instead (the account is ours: nobody else knows its name). A
 * first attempt that hears "user in use" fails as before.
 */
async function sharedSecret(http: HttpTransport, secret: string, username: string, password: string, admin: boolean): Promise<Session> {
  const path = '/_synapse/admin/v1/register';
  return registerRetrying(http, username, password, 'shared-secret registration', (posting) => inOneSlot(http, async () => {
    const nonceRequest = { method: 'GET' as const, path, actor: 'harness' };
    const nonceReply = await http.sendHeld<{ nonce?: string }>(nonceRequest);
    if (TRANSIENT_STATUSES.has(nonceReply.status) || isRateLimited(nonceReply)) return { request: nonceRequest, reply: nonceReply };
    if (nonceReply.status !== 200 || typeof nonceReply.body.nonce !== 'string') {
      throw new HarnessError(`shared-secret registration is not available (${nonceReply.evidence}); use --open-registration or check the target`);
    }
    const nonce = nonceReply.body.nonce;
    const mac = createHmac('sha1', secret)
      .update(`${nonce}\0${username}\0${password}\0${admin ? 'admin' : 'notadmin'}`)
      .digest('hex');
    posting();
    const request = { method: 'POST' as const, path, actor: 'harness' };
    return { request, reply: await http.sendHeld({ ...request, body: { nonce, username, password, admin, mac } }) };
  }));
}

/** The user-interactive auth stages the harness completes, and the `auth` each submits. */
type Stages = Record<string, (session: string | undefined) => Record<string, unknown>>;

/**
 * Registration through `/register` and user-interactive auth: open
 * (`m.login.dummy`) or with a registration token (`m.login.registration_token`,
 * then any `m.login.dummy` the flow asks for). The rounds of one attempt share
 * a UIA session, which has a lifetime: they run in one set-up slot, and an
 * attempt whose session the server no longer knows starts over.
 */
async function interactiveRegistration(http: HttpTransport, username: string, password: string, token: string | undefined): Promise<Session> {
  const path = '/_matrix/client/v3/register';
  const what = token === undefined ? 'open registration' : 'registration with a token';
  const stages: Stages = { 'm.login.dummy': (session) => ({ type: 'm.login.dummy', session }) };
  if (token !== undefined) stages['m.login.registration_token'] = (session) => ({ type: 'm.login.registration_token', token, session });
  const body = { username, password, inhibit_login: false };
  const request = { method: 'POST' as const, path, actor: 'harness' };
  return registerRetrying(http, username, password, what, (posting) => inOneSlot(http, async () => {
    posting();
    let reply = await http.sendHeld({ ...request, body });
    // Each round completes one stage; a flow has a handful at most.
    for (let round = 0; round < 5; round++) {
      const next = nextStage(reply, stages);
      if (next === undefined) break;
      if (next.refused) throw new HarnessError(`${what} was refused at ${next.stage}: ${reply.evidence}${token !== undefined ? ' (check --registration-token)' : ''}`);
      reply = await http.sendHeld({ ...request, body: { ...body, auth: stages[next.stage]!(next.session) } });
    }
    return { request, reply };
  }));
}

/**
 * The next UIA stage to complete, from a 401 that lists flows: the first
 * stage not yet completed of the first flow made only of stages the harness
 * can complete. `refused` when the server just refused that same stage (a
 * 401 with an errcode: a bad registration token).
 */
function nextStage(reply: Reply, stages: Stages): { stage: string; session: string | undefined; refused: boolean } | undefined {
  const { flows, session, completed, errcode } = reply.body as { flows?: Array<{ stages?: string[] }>; session?: unknown; completed?: unknown; errcode?: unknown };
  if (reply.status !== 401 || !Array.isArray(flows)) return undefined;
  const done = new Set(Array.isArray(completed) ? completed.filter((c): c is string => typeof c === 'string') : []);
  const flow = flows.find((f) => Array.isArray(f.stages) && f.stages.every((s) => s in stages));
  const stage = flow?.stages?.find((s) => !done.has(s));
  if (stage === undefined) return undefined;
  return { stage, session: typeof session === 'string' ? session : undefined, refused: typeof errcode === 'string' && errcode !== 'M_LIMIT_EXCEEDED' };
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
    // Expired while the step waited (its nonce or session): again, with a fresh one.
    if (oneTimeValueExpired(reply)) {
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
 * A login rate limit is waited out within the story's budget (HttpTransport).
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

/**
 * A second session of `userId` through Synapse's admin login API
 * (`POST /_synapse/admin/v1/users/{userId}/login`, as the run's admin), which
 * no login rate limit blocks. Synapse 1.163 makes it a token with no device
 * (`device_id=None`, puppeting the user: rest/admin/users.py), so the session's
 * `deviceId` is empty; Synapse's presence tracks it apart from the user's
 * real device (keyed by user and device, None included), as a second client.
 */
export async function adminLogin(http: HttpTransport, adminToken: string, userId: string, actor: string): Promise<Session> {
  const reply = await http.send({
    method: 'POST',
    path: `/_synapse/admin/v1/users/${encodeURIComponent(userId)}/login`,
    token: adminToken,
    actor,
    body: {},
    // Another token for the same user is harmless: safe to retry.
    setup: 'retry',
  });
  const accessToken = reply.body.access_token;
  if (reply.status !== 200 || typeof accessToken !== 'string') throw new Inconclusive('a second device could not log in through the admin login API', undefined, reply.evidence);
  registerSecret(accessToken);
  return { userId, accessToken, deviceId: '' };
}

function sessionFrom(status: number, body: Record<string, unknown>, evidence: string, what: string): Session {
  const { user_id: userId, access_token: accessToken, device_id: deviceId } = body;
  if (status !== 200 || typeof userId !== 'string' || typeof accessToken !== 'string') {
    throw new HarnessError(`${what} failed: ${evidence}`);
  }
  return { userId, accessToken, deviceId: typeof deviceId === 'string' ? deviceId : '' };
}
