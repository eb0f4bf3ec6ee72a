/**
 * The requirement catalogue, transcribed from `docs/spec/presence.md` (the project's own copy of the shared spec notes).
 * That file is the one source: the IDs are typed from its table (requirement-ids.ts,
 * `npm run catalogue-ids`), and catalogue.test.ts holds levels, titles, quotes and links here to it.
 * Tests name an ID; level, wording and the quoted spec sentence come from here
 * so that reporters never depend on how a test chose to title itself.
 */

import type { RequirementId } from './requirement-ids.js';
import type { TentativeStatus } from './catalogue-ids.js';

export type { RequirementId, TentativeStatus };

export type Level = 'MUST' | 'SHOULD' | 'MAY';

export type Area =
  | 'states'
  | 'free-for-chat'
  | 'put'
  | 'idle-timeout'
  | 'last-active'
  | 'currently-active'
  | 'visibility'
  | 'sync'
  | 'schema'
  | 'federation'
  /** Requirements of proposals not yet in the spec text (`PRES-TENT-*`): reported apart, gating only with `--fail-on tentative`. */
  | 'tentative';

/** Where a tentative requirement comes from: its proposal and how far that has come. */
export interface Tentative {
  /** `MSC4186`. */
  readonly msc: string;
  readonly status: TentativeStatus;
}

export interface Requirement {
  readonly id: RequirementId;
  readonly level: Level;
  readonly area: Area;
  /** The catalogue's one-line statement of the requirement. */
  readonly title: string;
  /** The normative spec sentence the requirement is drawn from. */
  readonly quote: string;
  readonly specUrl: string;
  /** Set on `PRES-TENT-*` requirements: the proposal they come from (their `specUrl` is its pull request). */
  readonly tentative?: Tentative;
}

const SPEC = 'https://spec.matrix.org/v1.16';
const MODULE = `${SPEC}/client-server-api/#presence`;
const GET_STATUS = `${SPEC}/client-server-api/#get_matrixclientv3presenceuseridstatus`;
const PUT_STATUS = `${SPEC}/client-server-api/#put_matrixclientv3presenceuseridstatus`;
const EVENT = `${SPEC}/client-server-api/#mpresence`;
const SYNC = `${SPEC}/client-server-api/#get_matrixclientv3sync`;
const LAST_ACTIVE = `${SPEC}/client-server-api/#last-active-ago`;
const IDLE = `${SPEC}/client-server-api/#idle-timeout`;
const SECURITY = `${SPEC}/client-server-api/#security-considerations-5`;
const FEDERATION = `${SPEC}/server-server-api/#presence`;

const Q = {
  states:
    '`online`: The default state when the user is connected to an event stream. / `unavailable`: The user is not reachable at this time e.g. they are idle. / `offline`: The user is not connected to an event stream or is explicitly suppressing their profile information from being sent.',
  putEnum: 'PUT status: body `presence` (required, enum online|offline|unavailable), `status_msg` (string).',
  putOther: 'You cannot set the presence state of another user.',
  syncParam:
    '`/sync?set_presence=`: enum offline|online|unavailable. If this parameter is omitted then the client is automatically marked as online when it uses this API. Otherwise if the parameter is set to "offline" then the client is not marked as being online when it uses this API. When set to "unavailable", the client is marked as being idle.',
  idle:
    'The server will automatically set a user\'s presence to `unavailable` if their last active time was over a threshold value (e.g. 5 minutes). Clients can manually set a user\'s presence to `unavailable`. Any activity that bumps the last active time on any of the user\'s clients will cause the server to automatically set their presence to `online`.',
  lastActive:
    'The server maintains a timestamp of the last time it saw a pro-active event from the user. A pro-active event may be sending a message to a room or changing presence state to `online`. This timestamp is presented via a key called `last_active_ago` which gives the relative number of milliseconds since the pro-active event.',
  fresh:
    'The last active time must be up to date whenever the server gives a presence event to the client. [...] Thus clients can fetch up to date last active times by explicitly requesting the presence for a given user.',
  currentlyActive:
    'To reduce the number of presence updates sent to clients the server may include a `currently_active` boolean field when the presence state is `online`. When true, the server will not send further updates to the last active time until an update is sent to the client with either a) `currently_active` set to false or b) a presence state other than `online`.',
  shared: 'Presence events are sent to interested parties where users share a room membership.',
  security:
    'Presence information is published to all users who share a room with the target user. If the target user is a member of a room with a `public` join rule, any other user in the federation is able to gain access to the target user\'s presence.',
  getStatus:
    'GET status: 200 `{presence (required, same enum), last_active_ago (integer), status_msg (string or null), currently_active (boolean)}`; 403 `M_FORBIDDEN` ("You are not allowed to see their presence"); 404 ("This user may not exist or isn\'t exposing presence information to you").',
  event:
    '`m.presence` event: required `sender`, `type`, `content`; `content` requires `presence` (enum online|offline|unavailable); optional `last_active_ago` (number), `currently_active` (boolean), `status_msg`, `displayname`, `avatar_url` (mxc URI).',
  federationInterest: 'Servers should only send presence updates for users that the receiving server would be interested in.',
  federationEnum:
    'EDU `m.presence`, `content.push[]` items require `user_id`, `presence` (enum offline|unavailable|online), `last_active_ago`; optional `currently_active` (defaults to false) and `status_msg`.',
  federationOrigin: 'EDU `m.presence`: "An EDU representing presence updates for users of the sending homeserver."',
  slidingSyncPresence:
    'MSC4186 `set_presence`: Same as in `/v3/sync`, controls whether the client is automatically marked as online by polling this API. If this parameter is omitted then the client is automatically marked as online when it uses this API. Otherwise if the parameter is set to “offline” then the client is not marked as being online when it uses this API. When set to “unavailable”, the client is marked as being idle. An unknown value will result in a 400 error response with code `M_INVALID_PARAM`.',
  busyIdle:
    "MSC3026: If a user's presence is set to `busy`, it is strongly recommended for implementations to not implement a timer that would trigger an update to the `unavailable` state (like most implementations do when the user is in the `online` state).",
  busyFlag:
    'MSC3026: servers implementing this MSC must expose a flag in `/_matrix/client/versions` responses, under `unstable_features`, named `org.matrix.msc3026.busy_presence`, which is set to `true`.',
} as const;

const MSC4186: Tentative = Object.freeze({ msc: 'MSC4186', status: 'merged' });
const MSC3026: Tentative = Object.freeze({ msc: 'MSC3026', status: 'closed-but-shipped' });
const proposal = (t: Tentative) => `https://github.com/matrix-org/matrix-spec-proposals/pull/${t.msc.slice(3)}`;

function req(
  id: RequirementId,
  level: Level,
  area: Area,
  title: string,
  quote: string,
  specUrl: string,
): Requirement {
  return { id, level, area, title, quote, specUrl };
}

/** A requirement of the tentative table: its area is `tentative`, its link the proposal's. */
function tent(id: RequirementId, level: Level, tentative: Tentative, title: string, quote: string): Requirement {
  return { id, level, area: 'tentative', title, quote, specUrl: proposal(tentative), tentative };
}

/** Every requirement of the catalogue, in catalogue order. */
export const REQUIREMENTS: readonly Requirement[] = [
  req('PRES-STATE-ENUM', 'MUST', 'states', 'Every presence value the server exposes (GET, /sync events, EDUs) is one of online, unavailable, offline.', Q.states, MODULE),
  req('PRES-FFC-PUT', 'MUST', 'free-for-chat', 'PUT with `free_for_chat` is rejected with a 4xx and leaves the stored state unchanged.', Q.putEnum, PUT_STATUS),
  req('PRES-FFC-ERRCODE', 'SHOULD', 'free-for-chat', 'That rejection carries a standard errcode for a bad value (`M_INVALID_PARAM` or `M_BAD_JSON`).', Q.putEnum, PUT_STATUS),
  req('PRES-FFC-SYNC', 'MUST', 'free-for-chat', '`/sync?set_presence=free_for_chat` never puts the user in `free_for_chat`; SHOULD be a 400 `M_INVALID_PARAM`.', Q.syncParam, SYNC),
  req('PRES-FFC-SYNC-ERRCODE', 'SHOULD', 'free-for-chat', '`/sync?set_presence=free_for_chat` is refused with 400 `M_INVALID_PARAM` (the SHOULD half of PRES-FFC-SYNC; an ID of this suite, not of the catalogue).', Q.syncParam, SYNC),
  req('PRES-FFC-EMIT', 'MUST', 'free-for-chat', '`free_for_chat` never appears in any presence payload.', Q.states, MODULE),
  req('PRES-PUT-ROUNDTRIP', 'MUST', 'put', 'PUT online/unavailable/offline with `status_msg` is reflected by GET.', Q.putEnum, PUT_STATUS),
  req('PRES-PUT-OTHER', 'MUST', 'put', 'A user cannot set another user\'s presence (4xx, state unchanged).', Q.putOther, PUT_STATUS),
  req('PRES-IDLE-AUTO', 'MUST', 'idle-timeout', 'A connected user with no pro-active events becomes `unavailable` once last active is older than the threshold.', Q.idle, IDLE),
  req('PRES-IDLE-NOT-EARLY', 'MUST', 'idle-timeout', 'A user who stays active within the threshold is not made `unavailable`.', Q.idle, IDLE),
  req('PRES-IDLE-MANUAL', 'MUST', 'idle-timeout', 'A client can set its user `unavailable` manually.', Q.idle, IDLE),
  req('PRES-IDLE-WAKE', 'MUST', 'idle-timeout', 'Activity on ANY of the user\'s clients (another device) brings an idle/unavailable user back to `online`.', Q.idle, IDLE),
  req('PRES-LAA-PROACTIVE', 'MUST', 'last-active', 'Sending a message to a room resets last active (`last_active_ago` near 0 right after).', Q.lastActive, LAST_ACTIVE),
  req('PRES-LAA-ONLINE', 'MUST', 'last-active', 'Changing presence to `online` counts as pro-active.', Q.lastActive, LAST_ACTIVE),
  req('PRES-LAA-PASSIVE', 'SHOULD', 'last-active', 'Non-pro-active actions (GET presence, setting unavailable/offline, reading) do not reset last active.', Q.lastActive, LAST_ACTIVE),
  req('PRES-LAA-FRESH', 'MUST', 'last-active', '`last_active_ago` is up to date whenever given: two reads Δ apart, with no activity between, differ by about Δ.', Q.fresh, LAST_ACTIVE),
  req('PRES-LAA-FORMAT', 'MUST', 'last-active', '`last_active_ago` is a non-negative integer number of milliseconds and plausible.', Q.lastActive, LAST_ACTIVE),
  req('PRES-CA-ONLINE-ONLY', 'MUST', 'currently-active', '`currently_active: true` only ever accompanies `presence: online`.', Q.currentlyActive, LAST_ACTIVE),
  req('PRES-CA-SUPPRESS', 'MUST', 'currently-active', 'While an observer\'s last update said `currently_active: true`, it gets no update that only moves `last_active_ago`.', Q.currentlyActive, LAST_ACTIVE),
  req('PRES-CA-EXPIRES', 'MUST', 'currently-active', 'When the user stops being active, observers get `currently_active: false` or a non-online state.', Q.currentlyActive, LAST_ACTIVE),
  req('PRES-CA-GET-FRESH', 'MUST', 'currently-active', 'During suppression, GET still returns an up-to-date `last_active_ago`.', Q.fresh, LAST_ACTIVE),
  req('PRES-CA-OFFERED', 'MAY', 'currently-active', 'The server offers `currently_active` at all.', Q.currentlyActive, LAST_ACTIVE),
  req('PRES-VIS-SHARED-SYNC', 'MUST', 'visibility', 'Users who share a room receive the target\'s `m.presence` through /sync.', Q.shared, MODULE),
  req('PRES-VIS-SHARED-GET', 'MUST', 'visibility', 'Users who share a room may GET the target\'s presence (200).', Q.security, GET_STATUS),
  req('PRES-VIS-NONSHARED-SYNC', 'MUST', 'visibility', 'A user who shares no room never receives the target\'s presence through /sync.', Q.shared, MODULE),
  req('PRES-VIS-NONSHARED-GET', 'MUST', 'visibility', 'A user who shares no room is refused on GET (403, or 404).', Q.getStatus, GET_STATUS),
  req('PRES-VIS-LEAVE', 'MUST', 'visibility', 'After the last shared room is left, updates stop and GET is refused.', Q.security, SECURITY),
  req('PRES-VIS-JOIN', 'SHOULD', 'visibility', 'On joining a shared room, the new member receives the target\'s current presence.', Q.shared, MODULE),
  req('PRES-VIS-PUBLIC', 'MUST', 'visibility', 'A user who joins a public room with the target gains access (the "undesirable" case is still required behaviour).', Q.security, SECURITY),
  req('PRES-SYNC-DEFAULT', 'MUST', 'sync', '/sync without `set_presence` marks the user online.', Q.syncParam, SYNC),
  req('PRES-SYNC-OFFLINE', 'MUST', 'sync', '/sync with `set_presence=offline` does not mark the user online.', Q.syncParam, SYNC),
  req('PRES-SYNC-UNAVAILABLE', 'MUST', 'sync', '/sync with `set_presence=unavailable` marks the user unavailable.', Q.syncParam, SYNC),
  req('PRES-SCHEMA-EVENT', 'MUST', 'schema', 'Every `m.presence` event in /sync matches the event schema.', Q.event, EVENT),
  req('PRES-SCHEMA-GET', 'MUST', 'schema', 'Every GET status body matches the response schema.', Q.getStatus, GET_STATUS),
  req('PRES-FED-SHARED', 'MUST', 'federation', 'A roommate on another homeserver receives presence (EDU).', Q.shared, FEDERATION),
  // The user-level rule is the client-server one (who may see presence);
  // what travels between servers is the server-server text's "should" (PRES-FED-NONSHARED-EDU).
  req('PRES-FED-NONSHARED', 'MUST', 'federation', 'A user on another homeserver who shares no room receives none.', Q.security, FEDERATION),
  req('PRES-FED-NONSHARED-EDU', 'SHOULD', 'federation', 'No presence EDU about a user goes to a server none of whose users shares a room with her.', Q.federationInterest, FEDERATION),
  req('PRES-FED-ENUM', 'MUST', 'federation', 'No EDU carries a state outside the enum.', Q.federationEnum, FEDERATION),
  req('PRES-FED-SCHEMA', 'MUST', 'federation', 'Every m.presence EDU push item has the keys the EDU schema requires (user_id, presence, last_active_ago).', Q.federationEnum, FEDERATION),
  req('PRES-FED-ORIGIN', 'SHOULD', 'federation', 'An m.presence EDU about a user of another domain than the sending server changes nothing the receiver shows.', Q.federationOrigin, FEDERATION),
  tent('PRES-TENT-SSS-DEFAULT', 'MUST', MSC4186, 'A sliding-sync request without `set_presence` marks the user online.', Q.slidingSyncPresence),
  tent('PRES-TENT-SSS-OFFLINE', 'MUST', MSC4186, 'A sliding-sync request with `set_presence=offline` does not mark the user online.', Q.slidingSyncPresence),
  tent('PRES-TENT-SSS-UNAVAILABLE', 'MUST', MSC4186, 'A sliding-sync request with `set_presence=unavailable` marks the user unavailable.', Q.slidingSyncPresence),
  tent('PRES-TENT-SSS-UNKNOWN', 'MUST', MSC4186, 'A sliding-sync request with an unknown `set_presence` (`free_for_chat`) is refused with 400 `M_INVALID_PARAM`.', Q.slidingSyncPresence),
  tent('PRES-TENT-SSS-IDLE', 'MUST', MSC4186, 'A user connected only through sliding sync, with no pro-active events, becomes `unavailable` once last active is older than the threshold.', `${Q.slidingSyncPresence} / ${Q.idle}`),
  tent('PRES-TENT-BUSY-SET', 'MUST', MSC3026, 'Where `/versions` advertises `org.matrix.msc3026.busy_presence`, PUT `org.matrix.msc3026.busy` is accepted and roommates see it.', Q.busyFlag),
  tent('PRES-TENT-BUSY-NOT-IDLED', 'SHOULD', MSC3026, 'A user set busy is not made `unavailable` by the idle timer.', Q.busyIdle),
  tent('PRES-TENT-BUSY-REFUSED', 'MUST', MSC3026, 'Where `/versions` does not advertise it, PUT `org.matrix.msc3026.busy` is refused like any state outside the enum (4xx, state unchanged).', `${Q.busyFlag} / ${Q.putEnum}`),
];

const BY_ID = new Map<string, Requirement>(REQUIREMENTS.map((r) => [r.id, r]));

/** Looks a requirement up by ID; an unknown ID is a programming error. */
export function requirementById(id: RequirementId): Requirement {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown requirement ID ${id}; add it to the table of docs/spec/presence.md (then npm run catalogue-ids) and to harness/catalogue.ts first`);
  return found;
}

/** IDs matching `--only`: comma-separated exact IDs or prefixes such as `PRES-FFC,PRES-PUT`. */
export function matchingIds(only: string | undefined): RequirementId[] {
  if (!only) return REQUIREMENTS.map((r) => r.id);
  const wanted = only.split(',').map((w) => w.trim().toUpperCase()).filter(Boolean);
  const matches = (id: string) => wanted.some((w) => id === w || id.startsWith(w.endsWith('-') ? w : `${w}-`));
  return REQUIREMENTS.filter((r) => matches(r.id)).map((r) => r.id);
}
