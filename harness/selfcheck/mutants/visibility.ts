import { presenceEvents, type PresenceEventLike } from '../exchange.js';
import type { Mutant } from '../mutant.js';
import { carriesPresence, DeclaredPresence, presencePayloads } from '../payloads.js';

/** GET status answers everyone. */
export const getLeaksToNonSharer: Mutant = {
  name: 'get-leaks-to-non-sharer',
  bug: "GET status skips the shared-room check: a user who shares no room gets a 200 with the target's presence",
  violates: ['PRES-VIS-NONSHARED-GET', 'PRES-VIS-LEAVE'],
  areas: ['visibility'],
  create() {
    const declared = new DeclaredPresence();
    return {
      request(request) {
        declared.observe(request);
      },
      wantsResponse: (request) => request.route === 'presence-get',
      response(request, response, context) {
        const refused = response.status;
        if (refused !== 403 && refused !== 404) return;
        if (!request.subject || !request.requester || request.subject === request.requester) return;
        const known = declared.get(request.subject);
        response.status = 200;
        response.json = {
          presence: known && ['online', 'unavailable', 'offline'].includes(known.presence) ? known.presence : 'online',
          last_active_ago: known ? Date.now() - known.at : 0,
          status_msg: known?.statusMsg ?? null,
          currently_active: false,
        };
        context.fired(`GET ${refused} turned into 200`);
      },
    };
  },
};

/** Presence fan-out ignores room membership. */
export const syncLeaksToNonSharer: Mutant = {
  name: 'sync-leaks-to-non-sharer',
  bug: "presence fan-out ignores room membership: every user's /sync gets the m.presence events of users they share no room with",
  violates: ['PRES-VIS-NONSHARED-SYNC', 'PRES-VIS-LEAVE'],
  areas: ['visibility'],
  create() {
    // Latest presence of every user the proxy heard of: from PUTs, and from other users' syncs.
    const latest = new Map<string, { content: Record<string, unknown>; version: number; at: number }>();
    const given = new Map<string, Map<string, number>>();
    let version = 0;
    const note = (user: string, content: Record<string, unknown>) => latest.set(user, { content: structuredClone(content), version: ++version, at: Date.now() });
    return {
      request(request) {
        const body = request.route === 'presence-put' && request.requester === request.subject ? (request.json as Record<string, unknown> | undefined) : undefined;
        if (request.requester && typeof body?.presence === 'string') {
          note(request.requester, { presence: body.presence, ...(typeof body.status_msg === 'string' ? { status_msg: body.status_msg } : {}), last_active_ago: 0, currently_active: body.presence === 'online' });
        }
      },
      wantsResponse: (request) => request.route === 'sync',
      response(request, response, context) {
        if (response.status !== 200 || !request.requester) return;
        const events = presenceEvents(response.json, true)!;
        for (const event of events) {
          if (typeof event.sender === 'string' && event.content && typeof event.content === 'object') note(event.sender, event.content);
        }
        const mine = given.get(request.requester) ?? new Map<string, number>();
        given.set(request.requester, mine);
        for (const event of events) if (typeof event.sender === 'string') mine.set(event.sender, version);
        for (const [user, entry] of latest) {
          if (user === request.requester || (mine.get(user) ?? 0) >= entry.version) continue;
          const content = { ...entry.content };
          if (typeof content.last_active_ago === 'number') content.last_active_ago += Date.now() - entry.at;
          const leaked: PresenceEventLike = { type: 'm.presence', sender: user, content };
          events.push(leaked);
          mine.set(user, entry.version);
          context.fired('m.presence of another user copied into /sync');
        }
      },
    };
  },
};

/** GET status refuses even roommates. */
export const getRefusesRoommate: Mutant = {
  name: 'get-refuses-roommate',
  bug: "GET status of another user is always 403 M_FORBIDDEN, even for users who share a room with them",
  violates: ['PRES-VIS-SHARED-GET', 'PRES-VIS-PUBLIC'],
  areas: ['visibility'],
  create() {
    return {
      wantsResponse: carriesPresence,
      response(request, response, context) {
        if (request.route !== 'presence-get' || response.status !== 200 || !request.requester || request.subject === request.requester) return;
        if (presencePayloads(request, response).length === 0) return;
        response.status = 403;
        response.json = { errcode: 'M_FORBIDDEN', error: 'You are not allowed to see their presence.' };
        context.fired('GET of a roommate refused');
      },
    };
  },
};

/**
 * A presence change does not wake a waiting /sync (tuwunel 1.4.6's bug): a
 * long-poll the server ends early with presence in it is held until its
 * timeout, as if the change had waited for the poll to run out. Polls of a
 * couple of seconds barely notice; an app's 30-s poll gets a roommate's change
 * half a minute late.
 */
export const presenceDoesNotWakeSync: Mutant = {
  name: 'presence-does-not-wake-sync',
  bug: "a presence change does not end a roommate's waiting /sync long-poll: it comes only when the poll times out",
  violates: ['PRES-VIS-SHARED-SYNC'],
  areas: ['visibility'],
  create() {
    return {
      wantsResponse: (request) => request.route === 'sync' && Number(request.url.searchParams.get('timeout')) > 0,
      async response(request, response, context) {
        if (response.status !== 200 || (presenceEvents(response.json, false) ?? []).length === 0) return;
        const until = request.receivedAt + Number(request.url.searchParams.get('timeout'));
        if (until <= Date.now()) return;
        context.fired('a /sync carrying presence held until its timeout');
        await new Promise((resolve) => setTimeout(resolve, until - Date.now()));
      },
    };
  },
};
