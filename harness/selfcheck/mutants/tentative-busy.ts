import type { ProxiedRequest } from '../exchange.js';
import type { Mutant } from '../mutant.js';
import { carriesPresence, DeclaredPresence, ownPresencePut, presencePayloads } from '../payloads.js';
import { BUSY, BUSY_FLAG } from '../../story/presence/busy.js';

const isVersions = (request: ProxiedRequest) => request.method === 'GET' && request.url.pathname === '/_matrix/client/versions';

/** Implements busy but forgets to say so. */
export const busyFlagHidden: Mutant = {
  name: 'busy-flag-hidden',
  bug: `the server accepts and stores ${BUSY}, but /versions lists ${BUSY_FLAG} as false (the flag wired to the wrong setting)`,
  // Not advertised, so busy must be refused like any unknown state; the
  // stories that need the flag are not applicable and say so.
  violates: ['PRES-TENT-BUSY-REFUSED'],
  areas: ['tentative'],
  create() {
    return {
      wantsResponse: isVersions,
      response(_request, response, context) {
        const features = (response.json as { unstable_features?: Record<string, unknown> } | undefined)?.unstable_features;
        if (!features || features[BUSY_FLAG] !== true) return;
        features[BUSY_FLAG] = false;
        context.fired(`${BUSY_FLAG} listed as false in /versions`);
      },
    };
  },
};

/** Acknowledges busy and drops it. */
export const busyPutNotStored: Mutant = {
  name: 'busy-put-not-stored',
  bug: `PUT status with ${BUSY} answers 200 but stores nothing: GET and roommates keep the previous state`,
  violates: ['PRES-TENT-BUSY-SET'],
  areas: ['tentative'],
  create() {
    return {
      request(request, context) {
        if (ownPresencePut(request)?.presence !== BUSY) return;
        context.fired(`PUT ${BUSY} answered 200, not stored`);
        return { status: 200, json: {} };
      },
    };
  },
};

/** The idle timer treats busy like online. */
export const busyIdled: Mutant = {
  name: 'busy-idled',
  bug: `the idle timer treats ${BUSY} like online: a busy user who does nothing is shown unavailable once the idle threshold has passed`,
  violates: ['PRES-TENT-BUSY-NOT-IDLED'],
  areas: ['tentative'],
  create(target) {
    if (!target) throw new Error('busy-idled needs the target\'s declared idle timeout');
    const { idleTimeoutMs } = target.timings;
    const declared = new DeclaredPresence();
    return {
      request(request) {
        declared.observe(request);
      },
      wantsResponse: carriesPresence,
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          const since = declared.get(p.user);
          if (p.content.presence !== BUSY || since?.presence !== BUSY || Date.now() - since.at < idleTimeoutMs) continue;
          p.content.presence = 'unavailable';
          delete p.content.currently_active;
          context.fired(`busy shown unavailable ${Date.now() - since.at} ms after it was set (${p.place})`);
        }
      },
    };
  },
};

/** One mutant per MSC3026 requirement. */
export const BUSY_MUTANTS: readonly Mutant[] = [busyFlagHidden, busyPutNotStored, busyIdled];
