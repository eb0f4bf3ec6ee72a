import type { ProxiedRequest } from '../exchange.js';
import type { Mutant, MutantBehaviour, MutationContext } from '../mutant.js';
import type { RequirementId } from '../../requirement-ids.js';
import { carriesPresence, DeclaredPresence, presencePayloads } from '../payloads.js';
import { PRESENCE_STATES } from '../../story/schema/invariants.js';

/** The request's JSON body, when it is an object (the harness's client always sends one). */
function bodyOf(request: ProxiedRequest): Record<string, unknown> | undefined {
  return request.json && typeof request.json === 'object' && !Array.isArray(request.json) ? (request.json as Record<string, unknown>) : undefined;
}

/**
 * `set_presence` of a sliding sync: the client sends it in the query and the
 * body alike (harness/story/client/sliding-sync.ts), so a mutant rewrites
 * both; null when absent.
 */
function setPresenceOf(request: ProxiedRequest): string | null {
  const body = bodyOf(request)?.set_presence;
  return request.url.searchParams.get('set_presence') ?? (typeof body === 'string' ? body : null);
}

/** Sets (or, with null, removes) `set_presence` in the query and the body alike. */
function rewrite(request: ProxiedRequest, context: MutationContext, from: string | null, to: string | null): void {
  if (to === null) request.url.searchParams.delete('set_presence');
  else request.url.searchParams.set('set_presence', to);
  const body = bodyOf(request);
  if (body && to === null) delete body.set_presence;
  else if (body) body.set_presence = to;
  context.fired(`sliding sync set_presence=${from ?? '(absent)'} taken as ${to ?? '(absent)'}`);
}

/**
 * Server bugs in MSC4186's `set_presence` (PRES-TENT-SSS-*): each rewrites
 * the sliding-sync request (query and body) before the server sees it, as a
 * server that misreads the parameter would. A mutant is judged only where
 * its requirement passes without it: Synapse 1.163 fails DEFAULT,
 * UNAVAILABLE and UNKNOWN (its sliding-sync servlet never calls into
 * presence) and cannot reach IDLE, so those mutants are masked there and
 * judged with `--target tuwunel`; UNKNOWN and IDLE fail on tuwunel 1.4.6 as
 * well (free_for_chat accepted; the 60-s refresh), so their mutants are
 * masked on every family the harness boots today.
 */
function rewritesSetPresence(name: string, bug: string, requirement: RequirementId, from: string | null, to: string | null): Mutant {
  return {
    name,
    bug,
    violates: [requirement],
    areas: ['tentative'],
    create(): MutantBehaviour {
      return {
        request(request, context) {
          if (request.route === 'sliding-sync' && setPresenceOf(request) === from) rewrite(request, context, from, to);
        },
      };
    },
  };
}

/** No `set_presence` is taken as `offline`: sliding sync never marks anyone online. */
export const sssNoDefaultOnline = rewritesSetPresence(
  'sss-no-default-online',
  'a sliding sync without set_presence does not mark the user online (the servlet leaves presence alone unless told)',
  'PRES-TENT-SSS-DEFAULT',
  null,
  'offline',
);

/**
 * `set_presence=offline` is ignored on sliding sync. Stripping it is the bug
 * on a server that marks sliding-sync users online (tuwunel); on one whose
 * sliding sync leaves presence alone (Synapse 1.163) the user would stay
 * offline all the same, so the proxy also marks her online itself, with a
 * PUT as her, on each request that continues a connection (one with a `pos`:
 * a connection's first request, such as the story's probe before she sets
 * her state, is left alone, so the PUT never lands after that state).
 */
export const sssIgnoresOffline: Mutant = {
  name: 'sss-ignores-offline',
  bug: 'a sliding sync ignores set_presence=offline and marks the user online as if the parameter were absent',
  violates: ['PRES-TENT-SSS-OFFLINE'],
  areas: ['tentative'],
  create() {
    return {
      request(request, context) {
        if (request.route !== 'sliding-sync' || setPresenceOf(request) !== 'offline') return;
        rewrite(request, context, 'offline', null);
        const user = request.requester;
        if (!user || !request.url.searchParams.get('pos')) return;
        void context.actAs(user, 'PUT', `/_matrix/client/v3/presence/${encodeURIComponent(user)}/status`, { presence: 'online' }).then((status) => {
          if (status === 200) context.fired('marked online by the proxy (PUT online as her)');
        });
      },
    };
  },
};

/** `set_presence=unavailable` is ignored on sliding sync. */
export const sssIgnoresUnavailable = rewritesSetPresence(
  'sss-ignores-unavailable',
  'a sliding sync ignores set_presence=unavailable and marks the user online',
  'PRES-TENT-SSS-UNAVAILABLE',
  'unavailable',
  null,
);

/** An unknown `set_presence` is accepted as if absent. */
export const sssAcceptsUnknown = rewritesSetPresence(
  'sss-accepts-unknown',
  'a sliding sync with an unknown set_presence (free_for_chat) is answered 200 and taken as the default (online)',
  'PRES-TENT-SSS-UNKNOWN',
  'free_for_chat',
  null,
);

/** The idle timer spares users who only sliding-sync. */
export const sssNeverIdle: Mutant = {
  name: 'sss-never-idle',
  bug: 'the idle timer never fires for a user connected only through sliding sync: she stays online however long she does nothing',
  violates: ['PRES-TENT-SSS-IDLE'],
  areas: ['tentative'],
  create() {
    const declared = new DeclaredPresence();
    const slidingSyncers = new Set<string>();
    return {
      request(request) {
        // A value outside the enum (free_for_chat, which PRES-TENT-SSS-UNKNOWN sends) declares nothing:
        // the user is still what she last chose, and her manual unavailable stays hers.
        // Nor does `offline` on a sync: it only asks not to be marked online
        // (PRES-TENT-SSS-OFFLINE's user, unavailable, stays so: seen once as a false catch).
        const value = request.route === 'sync' || request.route === 'sliding-sync' ? request.url.searchParams.get('set_presence') : null;
        if (value === null || (value !== 'offline' && (PRESENCE_STATES as readonly string[]).includes(value))) declared.observe(request);
        if (request.route === 'sliding-sync' && request.requester) slidingSyncers.add(request.requester);
      },
      wantsResponse: carriesPresence,
      response(request, response, context) {
        for (const p of presencePayloads(request, response)) {
          if (!slidingSyncers.has(p.user) || p.content.presence !== 'unavailable' || declared.get(p.user)?.presence === 'unavailable') continue;
          p.content.presence = 'online';
          p.content.currently_active = false;
          context.fired(`automatic unavailable of a sliding-sync user shown as online (${p.place})`);
        }
      },
    };
  },
};

/** Every mutant of the tentative sliding-sync requirements. */
export const SLIDING_SYNC_MUTANTS: readonly Mutant[] = [sssNoDefaultOnline, sssIgnoresOffline, sssIgnoresUnavailable, sssAcceptsUnknown, sssNeverIdle];
