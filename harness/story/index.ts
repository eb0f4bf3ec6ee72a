/**
 * The face a suite author sees: the one module suites import (besides
 * vitest). It names the story's vocabulary and nothing of the machinery that
 * runs it (runner, CLI, results, reports, self-check, targets, images, the
 * federation proxy): what a story may say is what this file hands on, so a
 * new word for the suites is added here on purpose. docs/writing-suites.md
 * describes each part.
 */

// A requirement of the catalogue, and what a story needs before it can judge it.
export { requirement, type ConformanceTest } from './requirement.js';
export type { RequirementId } from '../requirement-ids.js';
export { given } from './given.js';

// The two endings a story throws besides a passing check.
export { ConformanceFailure, Inconclusive } from './errors.js';

// Deadlines: waits that end at a deadline derived from the declared timings, and watches.
export { eventually, sleep, throughout } from './clock.js';

// The server under test, and the user handle.
export type { TestServer } from './test-server.js';
export { isAbout, sentAt, spanOf, type MatrixUser, type PresenceContent, type PresenceStatus, type SyncBody } from './client/matrix-user.js';
export type { Reply } from './client/http.js';
export { runPrefixOf } from '../user-id.js';

// Presence helpers: how clients connect, what a roommate reads, and the premises of timer stories.
export {
  BACKGROUND_CLIENT,
  BOT_CLIENT,
  CLIENT_KINDS,
  FRESH_CLIENT,
  SYNCED_FIRST_KINDS,
  SYNCING_CLIENT,
  connectClient,
  firstSyncs,
  inBackground,
  kindApplies,
  whileConnected,
  type ClientKind,
  type SyncHabit,
} from './presence/clients.js';
export { untilSeen } from './presence/sightings.js';
export { APP_LONG_POLL_MS, seesThroughLongPoll, waitingLongPoll, type LongPoll } from './presence/long-poll.js';
export { anotherStateThanUnavailable, notMarkedOnline, onlineEventsAbout, readsUnavailable } from './presence/set-presence-endings.js';
export { slidingSyncClient } from './presence/sliding-sync.js';
export type { SlidingSyncClient } from './client/sliding-sync.js';
export { readsWhatSheSet } from './presence/roommate-read.js';
export { premiseLapsed, unlessTimerEnded } from './presence/premise.js';
export { goesQuietOnline } from './presence/quiet-online.js';
export { activeLongerThanWindow, whileActive } from './presence/activity.js';
export { agoReading, elapsedBetween, lastActiveAged, type AgoReading } from './presence/last-active.js';
export { CURRENTLY_ACTIVE_NOT_OFFERED, impliedLastActive, lastActiveOnlyUpdates, seesCurrentlyActive } from './presence/currently-active.js';
export { BUSY, BUSY_FLAG, busyStoryApplies } from './presence/busy.js';

// The federated-room opening: a story that needs a pair, and what went between its servers.
export { requirePair } from './needs-pair.js';
export type { Edu, RecordedTransaction } from './federation/transaction.js';
export { carryOver } from './federation/carry.js';
export { payloadsShown, showAfterMalformed, type InboundCase, type InboundShown, type ShownPayload } from './federation/inbound.js';

// The spec's types: presence states and the schemas of its payloads.
export { PRESENCE_STATES, schemaErrors, type PresenceState } from './schema/invariants.js';
