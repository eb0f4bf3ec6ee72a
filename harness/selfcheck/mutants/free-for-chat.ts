import type { Mutant } from '../mutant.js';
import { carriesPresence, ownPresencePut, presencePayloads } from '../payloads.js';

const FFC = 'free_for_chat';

/** Users a mutant has (wrongly) put in `free_for_chat`, with the status message they sent. */
class Chatty {
  private readonly users = new Map<string, unknown>();
  set(user: string, statusMsg: unknown): void {
    this.users.set(user, statusMsg);
  }
  clear(user: string): void {
    this.users.delete(user);
  }
  has(user: string): boolean {
    return this.users.has(user);
  }
  statusOf(user: string): unknown {
    return this.users.get(user);
  }
}

/** Accepts `free_for_chat` on PUT (the pre-2016 enum) and reports it afterwards. */
export const ffcPutAccepted: Mutant = {
  name: 'ffc-put-accepted',
  bug: 'PUT status still accepts the removed state free_for_chat (200) and GET and /sync then report it',
  // What clients are then told breaks every statement about the presence enum:
  // PRES-STATE-ENUM, PRES-FFC-EMIT and the GET and event schemas (whose
  // `presence` enum excludes it); an accepted PUT carries no bad-value errcode
  // either (PRES-FFC-ERRCODE, the SHOULD half of the same refusal).
  violates: ['PRES-FFC-PUT', 'PRES-FFC-ERRCODE', 'PRES-FFC-EMIT', 'PRES-STATE-ENUM', 'PRES-SCHEMA-GET', 'PRES-SCHEMA-EVENT'],
  areas: ['free-for-chat', 'states'],
  create() {
    const chatty = new Chatty();
    return {
      request(request, context) {
        const put = ownPresencePut(request);
        if (!put) return;
        if (put.presence !== FFC) {
          chatty.clear(request.requester!);
          return;
        }
        chatty.set(request.requester!, put.status_msg);
        context.fired('PUT free_for_chat answered 200');
        return { status: 200, json: {} };
      },
      wantsResponse: carriesPresence,
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          if (!chatty.has(p.user)) continue;
          p.content.presence = FFC;
          if (typeof chatty.statusOf(p.user) === 'string') p.content.status_msg = chatty.statusOf(p.user);
          context.fired(`reported free_for_chat over ${p.place}`);
        }
      },
    };
  },
};

/** Crashes on the unknown enum value instead of refusing it. */
export const ffcPutServerError: Mutant = {
  name: 'ffc-put-server-error',
  bug: 'PUT status with free_for_chat hits an unhandled enum lookup and answers 500 instead of a 4xx',
  // A 500 is no refusal of a bad value: the SHOULD about its errcode (400 with
  // M_INVALID_PARAM or M_BAD_JSON) is broken by the same answer.
  violates: ['PRES-FFC-PUT', 'PRES-FFC-ERRCODE'],
  areas: ['free-for-chat'],
  create() {
    return {
      request(request, context) {
        const body = request.route === 'presence-put' ? (request.json as { presence?: unknown } | undefined) : undefined;
        if (body?.presence !== FFC) return;
        context.fired('PUT free_for_chat answered 500');
        return { status: 500, json: { errcode: 'M_UNKNOWN', error: 'Internal server error' } };
      },
    };
  },
};

/** Refuses `free_for_chat` as if it were a permission problem. */
export const ffcWrongErrcode: Mutant = {
  name: 'ffc-wrong-errcode',
  bug: 'the refusal of free_for_chat is a 403 M_FORBIDDEN (a permission error) instead of 400 M_INVALID_PARAM/M_BAD_JSON',
  violates: ['PRES-FFC-ERRCODE'],
  areas: ['free-for-chat'],
  create() {
    return {
      wantsResponse: (request) => request.route === 'presence-put' && (request.json as { presence?: unknown } | undefined)?.presence === FFC,
      response(_request, response, context) {
        if (response.status < 400 || response.status >= 500) return;
        response.status = 403;
        response.json = { errcode: 'M_FORBIDDEN', error: 'You may not set this presence state' };
        context.fired('free_for_chat refusal rewritten to 403 M_FORBIDDEN');
      },
    };
  },
};

/** Renders active users in the legacy state. */
export const ffcEmittedInSync: Mutant = {
  name: 'ffc-emitted-in-sync',
  bug: '/sync renders an online, currently active user with the legacy state free_for_chat',
  // It keeps `currently_active: true` beside the new state, so the event also
  // breaks "currently_active: true only ever accompanies online" (PRES-CA-ONLINE-ONLY).
  violates: ['PRES-FFC-EMIT', 'PRES-STATE-ENUM', 'PRES-SCHEMA-EVENT', 'PRES-CA-ONLINE-ONLY'],
  // A payload fault: the invariants every suite applies can catch it anywhere.
  create() {
    return {
      wantsResponse: (request) => request.route === 'sync',
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          if (p.content.presence === 'online' && p.content.currently_active === true) {
            p.content.presence = FFC;
            context.fired('online+currently_active rendered as free_for_chat in /sync');
          }
        }
      },
    };
  },
};

/** Takes `set_presence=free_for_chat` on /sync as a valid state. */
export const ffcSyncAccepted: Mutant = {
  name: 'ffc-sync-accepted',
  bug: '/sync accepts set_presence=free_for_chat (200) and the user is reported free_for_chat afterwards',
  // The user is then reported free_for_chat over GET and /sync: the same
  // payload statements as ffc-put-accepted.
  violates: ['PRES-FFC-SYNC', 'PRES-FFC-SYNC-ERRCODE', 'PRES-FFC-EMIT', 'PRES-STATE-ENUM', 'PRES-SCHEMA-GET', 'PRES-SCHEMA-EVENT'],
  areas: ['free-for-chat'],
  create() {
    const chatty = new Chatty();
    return {
      request(request, context) {
        if (ownPresencePut(request)) chatty.clear(request.requester!);
        if (request.route !== 'sync' || !request.requester) return;
        const setPresence = request.url.searchParams.get('set_presence');
        if (setPresence === FFC) {
          request.url.searchParams.delete('set_presence');
          chatty.set(request.requester, undefined);
          context.fired('set_presence=free_for_chat accepted');
        } else if (setPresence) {
          chatty.clear(request.requester);
        }
      },
      wantsResponse: carriesPresence,
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          if (!chatty.has(p.user)) continue;
          p.content.presence = FFC;
          context.fired(`reported free_for_chat over ${p.place}`);
        }
      },
    };
  },
};
