import { randomBytes } from 'node:crypto';
import type { HttpTransport } from '../story/client/http.js';
import type { PresencePace } from '../story/server-facts.js';
import { isRateLimited, rateLimitOf } from '../story/client/rate-limit.js';
import { adminLogin, registerUser, type Session } from '../story/client/registration.js';
import type { RegistrationMethod } from '../story/server-facts.js';
import type { UserLedger } from '../users/ledger.js';

/** Presence PUTs the preflight sends back to back: a limit with a burst below this is noticed. */
const PROBE_PUTS = 3;

/**
 * Whether the server rate-limits presence changes, and at what pace: the
 * preflight user sets herself online a few times in a row; the first 429
 * says, in its `retry_after_ms`, how long one change takes to be allowed
 * again (Synapse's `rc_presence.per_user`: 10 s by default since 1.124).
 * Undefined when no PUT was limited. (The limit is per user: the run's
 * users start with their whole allowance, whatever the preflight user used.)
 */
export async function measurePresencePace(http: HttpTransport, session: Session): Promise<PresencePace | undefined> {
  const path = `/_matrix/client/v3/presence/${encodeURIComponent(session.userId)}/status`;
  // One request each, its 429 returned rather than waited out.
  const put = () => http.inSlot(() => http.sendHeld({ method: 'PUT', path, token: session.accessToken, actor: 'harness', body: { presence: 'online' } }));
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let i = 0; i < PROBE_PUTS; i++) {
    const reply = await put();
    if (!isRateLimited(reply)) continue;
    const first = rateLimitOf('PUT', path, reply);
    // Limited right after an allowed change: the wait asked for is the whole interval.
    if (i > 0) return { intervalMs: first.retryAfterMs, limit: first.limit };
    // Limited at once: an earlier change (the presence diagnosis) used part
    // of the interval. Wait it out; then two changes in a row show it whole.
    await wait(first.retryAfterMs);
    await put();
    const again = await put();
    const hit = isRateLimited(again) ? rateLimitOf('PUT', path, again) : first;
    return { intervalMs: Math.max(first.retryAfterMs, hit.retryAfterMs), limit: hit.limit };
  }
  return undefined;
}

/**
 * An admin for Synapse's admin login API, when the target registers by
 * shared secret and offers that API: registered with `admin: true`, and
 * tried once by logging the preflight user in through it. Undefined
 * otherwise (the server is not Synapse, or refuses): second devices then log
 * in with their password, waiting out any login rate limit.
 */
export async function adminForSecondDevices(http: HttpTransport, registration: RegistrationMethod, runPrefix: string, preflight: Session, users: UserLedger): Promise<string | undefined> {
  if (registration.kind !== 'shared-secret') return undefined;
  const username = `${runPrefix}-admin`;
  const password = randomBytes(16).toString('hex');
  // A user of the run like any other: removed at its end (harness/users/), by its own password.
  users.note({ kind: 'creating', baseUrl: http.baseUrl, username, password });
  try {
    const admin = await registerUser(http, registration, username, password, { admin: true });
    users.note({ kind: 'created', baseUrl: http.baseUrl, username, userId: admin.userId, accessToken: admin.accessToken });
    await adminLogin(http, admin.accessToken, preflight.userId, 'harness');
    return admin.accessToken;
  } catch {
    return undefined;
  }
}
