import type { Mutant } from '../mutant.js';
import { carriesPresence, DeclaredPresence, ownPresencePut, presencePayloads } from '../payloads.js';

/** The idle timer never fires. */
export const neverIdle: Mutant = {
  name: 'never-idle',
  bug: 'the idle timeout never fires: a user who did not choose unavailable stays online however long they are inactive',
  violates: ['PRES-IDLE-AUTO'],
  areas: ['idle-timeout'],
  create() {
    const declared = new DeclaredPresence();
    return {
      request(request) {
        declared.observe(request);
      },
      wantsResponse: carriesPresence,
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          if (p.content.presence !== 'unavailable' || declared.get(p.user)?.presence === 'unavailable') continue;
          p.content.presence = 'online';
          p.content.currently_active = false;
          context.fired(`automatic unavailable shown as online (${p.place})`);
        }
      },
    };
  },
};

/** Presence follows the user's first device only. */
export const noWakeFromOtherDevice: Mutant = {
  name: 'no-wake-from-other-device',
  bug: "presence follows the user's first device only: activity on another device does not bring an idle user back online",
  violates: ['PRES-IDLE-WAKE'],
  areas: ['idle-timeout'],
  create() {
    const primary = new Map<string, string>();
    const idle = new Set<string>();
    return {
      request(request) {
        const user = request.requester;
        if (!user || !request.token) return;
        if (!primary.has(user)) primary.set(user, request.token);
        const active = request.route === 'send' || ownPresencePut(request) !== undefined
          || (request.route === 'sync' && !['offline', 'unavailable'].includes(request.url.searchParams.get('set_presence') ?? ''));
        if (!active) return;
        const put = ownPresencePut(request);
        // Only the first device wakes the user; an explicit state other than online is taken as is.
        if (primary.get(user) === request.token || (put && put.presence !== 'online')) idle.delete(user);
      },
      wantsResponse: carriesPresence,
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          if (p.content.presence === 'unavailable') idle.add(p.user);
          else if (p.content.presence === 'online' && idle.has(p.user)) {
            p.content.presence = 'unavailable';
            p.content.currently_active = false;
            context.fired(`woken by another device, still shown unavailable (${p.place})`);
          }
        }
      },
    };
  },
};
