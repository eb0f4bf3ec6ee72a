import type { Mutant } from '../mutant.js';
import { carriesPresence, ownPresencePut, presencePayloads } from '../payloads.js';

/** GET status served from a cache that stores the relative value. */
export const laaFrozen: Mutant = {
  name: 'laa-frozen',
  bug: 'GET status is served from a cache that stored last_active_ago (relative) instead of the timestamp, so it stops growing until the user is active again',
  violates: ['PRES-LAA-FRESH', 'PRES-CA-GET-FRESH'],
  areas: ['last-active', 'currently-active'],
  create() {
    const cached = new Map<string, number>();
    return {
      request(request) {
        // Pro-active requests refresh the cache entry.
        if (request.requester && (request.route === 'send' || ownPresencePut(request))) cached.delete(request.requester);
      },
      wantsResponse: (request) => request.route === 'presence-get',
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          if (typeof p.content.last_active_ago !== 'number') continue;
          const frozen = cached.get(p.user);
          if (frozen === undefined) cached.set(p.user, p.content.last_active_ago);
          else if (frozen !== p.content.last_active_ago) {
            p.content.last_active_ago = frozen;
            context.fired('last_active_ago served from a stale cache');
          }
        }
      },
    };
  },
};

/** Only presence changes count as activity. */
export const laaMessageNotProactive: Mutant = {
  name: 'laa-message-not-proactive',
  bug: 'sending a message does not bump last active: last_active_ago only restarts when the user sets online',
  // Sets online with a PUT, that is: an app back from the background whose
  // /sync makes her online again keeps her old last active time too.
  violates: ['PRES-LAA-PROACTIVE', 'PRES-LAA-ONLINE'],
  areas: ['last-active', 'idle-timeout'],
  create() {
    const onlineSince = new Map<string, number>();
    return {
      request(request) {
        if (!request.requester) return;
        if (!onlineSince.has(request.requester) || ownPresencePut(request)?.presence === 'online') onlineSince.set(request.requester, request.receivedAt);
      },
      wantsResponse: carriesPresence,
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          const since = onlineSince.get(p.user);
          if (since === undefined || typeof p.content.last_active_ago !== 'number') continue;
          const inflated = Date.now() - since;
          if (inflated > p.content.last_active_ago + 1_000) {
            p.content.last_active_ago = inflated;
            context.fired(`last_active_ago ignores messages (${p.place})`);
          }
        }
      },
    };
  },
};

/** Seconds instead of milliseconds. */
export const laaFloatSeconds: Mutant = {
  name: 'laa-float-seconds',
  bug: 'last_active_ago is given in fractional seconds (time.time() arithmetic) instead of integer milliseconds',
  // Also contradicted by the same values: the GET schema (`last_active_ago` is
  // an integer), and "up to date" read in the field's unit, milliseconds (two
  // reads Δ ms apart differ by Δ/1000: PRES-LAA-FRESH, and during suppression
  // PRES-CA-GET-FRESH). Requirements that merely wait for the value to age
  // (PRES-LAA-PROACTIVE, -ONLINE, -PASSIVE) are not: their precondition is unmet.
  violates: ['PRES-LAA-FORMAT', 'PRES-SCHEMA-GET', 'PRES-LAA-FRESH', 'PRES-CA-GET-FRESH'],
  // A payload fault: the format invariant every suite applies can catch it anywhere.
  create() {
    return {
      wantsResponse: carriesPresence,
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          if (typeof p.content.last_active_ago !== 'number') continue;
          p.content.last_active_ago = (p.content.last_active_ago + 1) / 1000;
          context.fired(`last_active_ago in fractional seconds (${p.place})`);
        }
      },
    };
  },
};
