import { presenceEvents } from '../exchange.js';
import type { Mutant } from '../mutant.js';
import { carriesPresence, ownPresencePut, presencePayloads } from '../payloads.js';

/** `currently_active` derived from recent activity alone. */
export const caOnNonOnline: Mutant = {
  name: 'ca-on-non-online',
  bug: 'currently_active is computed from recent activity alone, so it is true on unavailable and offline users too',
  violates: ['PRES-CA-ONLINE-ONLY'],
  // A payload fault: the invariants every suite applies can catch it anywhere.
  create() {
    return {
      wantsResponse: carriesPresence,
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          if (p.content.presence === 'online' || typeof p.content.presence !== 'string') continue;
          p.content.currently_active = true;
          context.fired(`currently_active true on ${String(p.content.presence)} (${p.place})`);
        }
      },
    };
  },
};

/** No suppression of last-active-only updates. */
export const caRepeatsLaaUpdates: Mutant = {
  name: 'ca-repeats-laa-updates',
  bug: 'while a user is currently_active the server still sends observers an update with the new last active time after every pro-active event',
  violates: ['PRES-CA-SUPPRESS'],
  areas: ['currently-active'],
  create() {
    // When each user was last pro-active (a message, or setting online), as the proxy saw it.
    const activeAt = new Map<string, number>();
    // Per observer, per user: the last content delivered, and the activity it reflected.
    const delivered = new Map<string, Map<string, { content: Record<string, unknown>; reflects: number }>>();
    return {
      request(request) {
        if (request.requester && (request.route === 'send' || ownPresencePut(request)?.presence === 'online')) activeAt.set(request.requester, request.receivedAt);
      },
      wantsResponse: (request) => request.route === 'sync',
      response(request, response, context) {
        if (response.status !== 200 || !request.requester) return;
        const mine = delivered.get(request.requester) ?? new Map<string, { content: Record<string, unknown>; reflects: number }>();
        delivered.set(request.requester, mine);
        const now = Date.now();
        const payloads = presencePayloads(request, response);
        const fresh = new Set(payloads.map((p) => p.user));
        const events = presenceEvents(response.json, true)!;
        for (const [user, last] of mine) {
          const active = activeAt.get(user);
          if (fresh.has(user) || active === undefined || active <= last.reflects) continue;
          if (last.content.presence !== 'online' || last.content.currently_active !== true) continue;
          const content = { ...last.content, last_active_ago: now - active };
          events.push({ type: 'm.presence', sender: user, content });
          mine.set(user, { content, reflects: active });
          context.fired('new last_active_ago sent while currently_active');
        }
        for (const p of payloads) mine.set(p.user, { content: structuredClone(p.content), reflects: activeAt.get(p.user) ?? 0 });
      },
    };
  },
};

/** `currently_active` never goes back to false while online. */
export const caNeverExpires: Mutant = {
  name: 'ca-never-expires',
  bug: 'currently_active is never cleared: an online user stays currently_active long after their last activity',
  // On a server that sends an update for every PUT online (tuwunel stores each as currently_active
  // false with last_active_ago 0), the updates it turns currently_active are ones that only move the
  // last active time while the observer was told she is currently active: PRES-CA-SUPPRESS's breach.
  // On Synapse, which sends none, it has nothing of the kind to change.
  violates: ['PRES-CA-EXPIRES', 'PRES-CA-SUPPRESS'],
  areas: ['currently-active'],
  create() {
    return {
      wantsResponse: carriesPresence,
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          if (p.content.presence === 'online' && p.content.currently_active === false) {
            p.content.currently_active = true;
            context.fired(`currently_active kept true (${p.place})`);
          }
        }
      },
    };
  },
};
