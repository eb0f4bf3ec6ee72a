import { eventually } from '../story/clock.js';
import type { HttpTransport, Reply } from '../story/client/http.js';
import { ConformanceFailure } from '../story/errors.js';
import type { Session } from '../story/client/registration.js';
import type { Diagnosis } from '../results/model.js';
import type { TargetTimings } from '../timings.js';

/** Code of the diagnosis `diagnosePresence` makes. */
export const PRESENCE_DISABLED = 'presence-disabled';

/**
 * Whether presence looks switched off on the target: the preflight user PUTs
 * `online` and reads their own presence back. A server that acknowledges the
 * PUT (2xx) and still does not say `online` when a delivery deadline has
 * passed (Synapse with `presence.enabled: false` says `offline`, Dendrite
 * without `presence.enable_outbound` says `""`) keeps no presence at all. Most requirements can
 * then not even be set up, which this line explains once for the whole run.
 * Returns undefined when presence works (or the probe says nothing either way).
 */
export async function diagnosePresence(http: HttpTransport, session: Session, timings: TargetTimings): Promise<Diagnosis | undefined> {
  const path = `/_matrix/client/v3/presence/${encodeURIComponent(session.userId)}/status`;
  const put = await http.send({ method: 'PUT', path, token: session.accessToken, body: { presence: 'online' }, actor: 'harness' });
  if (put.status < 200 || put.status >= 300) return undefined;
  const started = Date.now();
  let last: Reply | undefined;
  try {
    await eventually(
      async () => (last = await http.send({ method: 'GET', path, token: session.accessToken, actor: 'harness' })),
      (reply) => reply.status !== 200 || reply.body.presence === 'online',
      { deadline: started + timings.deliveryMs + timings.slackMs, what: 'the preflight user to read back online' },
    );
    return undefined;
  } catch (cause) {
    if (!(cause instanceof ConformanceFailure)) throw cause;
  }
  return {
    code: PRESENCE_DISABLED,
    message: `presence looks disabled on this server: PUT online answered ${put.status}, yet GET of one's own presence still said ${JSON.stringify(last?.body)} after ${Date.now() - started} ms; requirements that need presence cannot be set up`,
  };
}
