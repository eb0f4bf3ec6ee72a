import { presenceEvents } from '../exchange.js';
import type { Mutant } from '../mutant.js';
import { carriesPresence, presencePayloads } from '../payloads.js';

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
  bug: 'while a user is currently_active the server keeps sending observers updates that only move last_active_ago',
  violates: ['PRES-CA-SUPPRESS'],
  areas: ['currently-active'],
  create() {
    // Per observer, per user: the last content delivered and when.
    const delivered = new Map<string, Map<string, { content: Record<string, unknown>; at: number }>>();
    return {
      wantsResponse: (request) => request.route === 'sync',
      response(request, response, context) {
        if (response.status !== 200 || !request.requester) return;
        const mine = delivered.get(request.requester) ?? new Map<string, { content: Record<string, unknown>; at: number }>();
        delivered.set(request.requester, mine);
        const now = Date.now();
        const payloads = presencePayloads(request, response);
        const fresh = new Set(payloads.map((p) => p.user));
        const events = presenceEvents(response.json, true)!;
        for (const [user, last] of mine) {
          if (fresh.has(user) || last.content.presence !== 'online' || last.content.currently_active !== true) continue;
          if (typeof last.content.last_active_ago !== 'number' || now - last.at < 500) continue;
          events.push({ type: 'm.presence', sender: user, content: { ...last.content, last_active_ago: last.content.last_active_ago + (now - last.at) } });
          context.fired('last_active_ago-only update while currently_active');
        }
        for (const p of payloads) mine.set(p.user, { content: structuredClone(p.content), at: now });
      },
    };
  },
};

/** `currently_active` never goes back to false while online. */
export const caNeverExpires: Mutant = {
  name: 'ca-never-expires',
  bug: 'currently_active is never cleared: an online user stays currently_active long after their last activity',
  violates: ['PRES-CA-EXPIRES'],
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
