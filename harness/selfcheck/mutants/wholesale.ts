import type { Mutant } from '../mutant.js';
import type { RequirementId } from '../../requirement-ids.js';
import { ownPresencePut } from '../payloads.js';
import type { ProxiedResponse } from '../exchange.js';

/**
 * Mutants that remove a capability wholesale. Most requirements cannot even
 * be set up against them: a suite must then say `error` (its precondition was
 * not reached), never `fail`. Their `violates` lists are exactly the
 * requirements whose statements the missing capability contradicts; any
 * other requirement they fail is a false blame.
 */

/** Drops the `presence` section of a /sync answer; true if it had one. */
function stripSyncPresence(response: ProxiedResponse): boolean {
  if (response.status !== 200 || !response.json || typeof response.json !== 'object') return false;
  const body = response.json as { presence?: unknown };
  if (!('presence' in body)) return false;
  delete body.presence;
  return true;
}

/**
 * The requirements a server contradicts when it never delivers presence
 * through /sync, and why each:
 * - PRES-VIS-SHARED-SYNC: roommates receive the target's `m.presence` through /sync;
 * - PRES-VIS-JOIN: a new member receives the target's current presence (through /sync);
 * - PRES-VIS-PUBLIC: gaining access in a public room is the same delivery to
 *   a (new) roommate, and its test checks it through /sync as well as GET;
 * - PRES-TENT-BUSY-SET (where the server advertises MSC3026): roommates see
 *   the busy state she set, its test through /sync.
 * Not violated: what silence cannot contradict (PRES-VIS-NONSHARED-SYNC,
 * PRES-VIS-LEAVE, PRES-FFC-EMIT, PRES-SCHEMA-EVENT, PRES-CA-SUPPRESS, ...),
 * and what GET still shows (PRES-SYNC-*, PRES-PUT-*, PRES-LAA-*).
 */
const SYNC_DELIVERY: RequirementId[] = ['PRES-VIS-SHARED-SYNC', 'PRES-VIS-JOIN', 'PRES-VIS-PUBLIC', 'PRES-TENT-BUSY-SET'];

/** /sync never carries presence. */
export const noPresenceInSync: Mutant = {
  name: 'no-presence-in-sync',
  bug: 'presence is never delivered over /sync: every /sync answer has no presence section at all (GET status still works)',
  violates: SYNC_DELIVERY,
  // Wholesale: every suite observes through /sync somewhere, so every suite is relevant.
  create() {
    return {
      wantsResponse: (request) => request.route === 'sync',
      response(_request, response, context) {
        if (stripSyncPresence(response)) context.fired('presence stripped from /sync');
      },
    };
  },
};

/**
 * Presence switched off, as Synapse does with `presence.enabled: false`:
 * GET status answers `{"presence": "offline"}` for anyone, a user's PUT of
 * their own status answers 200 {} and does nothing (not even validating the
 * state: `free_for_chat` is acknowledged too), /sync carries no presence.
 * A PUT on another user's status still reaches the server, which refuses it:
 * Synapse checks the requester before it looks at whether presence is
 * enabled, and answering 200 there would add a second bug (PRES-PUT-OTHER).
 */
export const presenceDisabled: Mutant = {
  name: 'presence-disabled',
  bug: 'presence is disabled: every GET status says offline with no last_active_ago, a PUT of one\'s own status answers 200 {} and is not applied, /sync carries no presence',
  /*
   * Besides the /sync delivery requirements (SYNC_DELIVERY), the statements
   * it contradicts:
   * - PRES-PUT-ROUNDTRIP, PRES-IDLE-MANUAL: a PUT (online, unavailable) is not reflected by GET;
   * - PRES-SYNC-DEFAULT, PRES-SYNC-UNAVAILABLE, and their sliding-sync twins
   *   PRES-TENT-SSS-DEFAULT, PRES-TENT-SSS-UNAVAILABLE: a syncing user is never
   *   marked online or unavailable;
   * - PRES-LAA-PROACTIVE, PRES-LAA-ONLINE: they require a `last_active_ago`
   *   near 0 after a message or a change to online, and none is ever given;
   * - PRES-FFC-PUT, PRES-FFC-ERRCODE: `free_for_chat` is acknowledged (200), not refused.
   * Not violated: requirements about values "whenever given" (PRES-LAA-FRESH,
   * PRES-LAA-FORMAT, PRES-CA-ONLINE-ONLY, schemas), about leaks (a constant
   * "offline" reveals nothing: PRES-VIS-NONSHARED-*, PRES-VIS-LEAVE), and
   * transitions from a state the user never reaches (PRES-IDLE-AUTO,
   * PRES-IDLE-WAKE, PRES-CA-EXPIRES...): those must say error, not fail.
   */
  violates: [
    'PRES-FFC-PUT',
    'PRES-FFC-ERRCODE',
    'PRES-PUT-ROUNDTRIP',
    'PRES-IDLE-MANUAL',
    'PRES-LAA-PROACTIVE',
    'PRES-LAA-ONLINE',
    ...SYNC_DELIVERY,
    'PRES-SYNC-DEFAULT',
    'PRES-SYNC-UNAVAILABLE',
    'PRES-TENT-SSS-DEFAULT',
    'PRES-TENT-SSS-UNAVAILABLE',
  ],
  create() {
    return {
      request(request, context) {
        if (!request.requester) return; // unauthenticated: let the server refuse it
        if (request.route === 'presence-get') {
          context.fired('GET status answered offline');
          return { status: 200, json: { presence: 'offline' } };
        }
        if (ownPresencePut(request)) {
          context.fired('PUT status acknowledged, not applied');
          return { status: 200, json: {} };
        }
      },
      wantsResponse: (request) => request.route === 'sync',
      response(_request, response, context) {
        if (stripSyncPresence(response)) context.fired('presence stripped from /sync');
      },
    };
  },
};
