import { serverNameOf } from '../../user-id.js';
import type { ProxiedRequest } from '../exchange.js';
import type { LinkDirection, Mutant, PushItem } from '../mutant.js';
import { getLeaksToNonSharer } from './visibility.js';

/**
 * Federation mutants: bugs of the server under test in what it sends to, or
 * takes from, the other server of a pair. They act on the pair's link (the
 * recording proxy between the servers), only on push items about users of
 * their own run, so that mutant runs sharing the pair do not disturb each
 * other. Outbound changes happen before the proxy records the transaction:
 * the record shows what the faulty server "sent".
 */

const STATES = ['online', 'unavailable', 'offline'];

/** Presence fan-out over federation ignores room membership. */
export const fedEduToNonSharers: Mutant = {
  name: 'fed-edu-to-non-sharers',
  bug: 'presence fan-out over federation ignores room membership: every change a user makes is sent to every server the homeserver federates with',
  violates: ['PRES-FED-NONSHARED-EDU'],
  areas: ['federation'],
  needsPair: true,
  create() {
    return {
      request(request, context) {
        const body = request.json as { presence?: unknown; status_msg?: unknown } | undefined;
        if (request.route !== 'presence-put' || !request.requester || request.requester !== request.subject) return;
        if (typeof body?.presence !== 'string' || !STATES.includes(body.presence) || !context.sendPresence) return;
        const item: PushItem = {
          user_id: request.requester,
          presence: body.presence,
          ...(typeof body.status_msg === 'string' ? { status_msg: body.status_msg } : {}),
          last_active_ago: 0,
          currently_active: body.presence === 'online',
        };
        // Sent beside the server's own fan-out, as the buggy server would: to the other server whoever shares a room there.
        void context.sendPresence([item]).then(
          () => context.fired('presence EDU sent to the other server regardless of rooms'),
          () => undefined,
        );
      },
    };
  },
};

/** A legacy state leaks into outgoing EDUs. */
export const fedEduFreeForChat: Mutant = {
  name: 'fed-edu-free-for-chat',
  bug: 'outgoing m.presence EDUs still use the removed free_for_chat state for an online user',
  // The roommate's server is told free_for_chat, not online: the online change does not arrive as such either.
  violates: ['PRES-FED-ENUM', 'PRES-FED-SHARED'],
  areas: ['federation'],
  needsPair: true,
  create() {
    return {
      presence(direction, item, context) {
        if (direction !== 'outbound' || item.presence !== 'online') return [item];
        context.fired('online sent as free_for_chat');
        return [{ ...item, presence: 'free_for_chat' }];
      },
    };
  },
};

/** A mutant's `create`: every push item going `direction` is dropped. */
function dropping(direction: LinkDirection, note: string): Mutant['create'] {
  return () => ({
    presence(way, item, context) {
      if (way !== direction) return [item];
      context.fired(note);
      return [];
    },
  });
}

/** Outgoing presence is lost. */
export const fedEduNeverSent: Mutant = {
  name: 'fed-edu-never-sent',
  bug: "the federation sender drops presence: no m.presence EDU about the server's users leaves it",
  violates: ['PRES-FED-SHARED'],
  areas: ['federation'],
  needsPair: true,
  create: dropping('outbound', 'outgoing presence dropped'),
};

/** Incoming presence is discarded. */
export const fedEduIgnored: Mutant = {
  name: 'fed-edu-ignored',
  bug: 'incoming m.presence EDUs are accepted (200) and discarded: local users never see remote presence',
  violates: ['PRES-FED-SHARED'],
  areas: ['federation'],
  needsPair: true,
  create: dropping('inbound', 'incoming presence discarded'),
};

/** The receiver does not check that an EDU is about the sender's users. */
export const fedEduForeignUserTaken: Mutant = {
  name: 'fed-edu-foreign-user-taken',
  bug: "an incoming m.presence EDU about one of the receiver's own users (not the sender's) is applied to that user",
  violates: ['PRES-FED-ORIGIN'],
  areas: ['federation'],
  needsPair: true,
  create() {
    return {
      async presence(direction, item, context) {
        const user = String(item.user_id);
        // The proxy holds tokens only for users of the server under test: those are not the sender's.
        if (direction !== 'inbound' || !context.tokenOf(user) || typeof item.presence !== 'string') return [item];
        const status = await context.actAs(user, 'PUT', `/_matrix/client/v3/presence/${encodeURIComponent(user)}/status`, {
          presence: item.presence,
          ...(typeof item.status_msg === 'string' ? { status_msg: item.status_msg } : {}),
        });
        if (status === 200) context.fired("another server's EDU applied to a local user");
        return [];
      },
    };
  },
};

/** Outgoing EDUs lack a key the schema requires. */
export const fedEduWithoutLastActive: Mutant = {
  name: 'fed-edu-without-last-active',
  bug: 'outgoing m.presence push items leave out last_active_ago, which the EDU schema requires',
  violates: ['PRES-FED-SCHEMA'],
  areas: ['federation'],
  needsPair: true,
  create() {
    return {
      presence(direction, item, context) {
        if (direction !== 'outbound' || !('last_active_ago' in item)) return [item];
        const { last_active_ago: _dropped, ...rest } = item;
        context.fired('last_active_ago left out of an outgoing item');
        return [rest];
      },
    };
  },
};

/** The shared-room check covers local users only. */
export const fedGetLeaksRemote: Mutant = {
  name: 'fed-get-leaks-remote',
  bug: "GET status checks shared rooms only for users of this server: anyone gets a 200 with a remote user's presence",
  violates: ['PRES-FED-NONSHARED'],
  areas: ['federation'],
  needsPair: true,
  create() {
    const inner = getLeaksToNonSharer.create();
    const remote = (request: ProxiedRequest) => request.subject !== undefined && request.requester !== undefined && serverNameOf(request.subject) !== serverNameOf(request.requester);
    return {
      request: inner.request,
      wantsResponse: (request) => remote(request) && (inner.wantsResponse?.(request) ?? false),
      response: (request, response, context) => (remote(request) ? inner.response?.(request, response, context) : undefined),
    };
  },
};

/** Every federation mutant, in catalogue order. */
export const FEDERATION_MUTANTS: readonly Mutant[] = [
  fedEduToNonSharers,
  fedGetLeaksRemote,
  fedEduFreeForChat,
  fedEduWithoutLastActive,
  fedEduNeverSent,
  fedEduIgnored,
  fedEduForeignUserTaken,
];
