/**
 * Test-only: the evidence of two failed stories, hand-made with round times
 * (seconds from T0) so the timeline's tests can say where each thing lands.
 * - IDLE_STORY: alice PUTs online and sends a message; bob reads her
 *   presence until a wait for "unavailable" misses its deadline; she stays online.
 * - FEDERATION_STORY: alice, on server A, sets herself unavailable then
 *   online; the link carries two EDUs; a wait for an EDU with "offline" fails.
 */
import type { Exchange } from '../../story/client/recorder.js';
import type { EvidenceFile } from '../../results/model.js';
import type { TimelineFacts } from './build.js';

export const T0 = Date.parse('2026-01-02T03:04:05.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const ms = (s: number) => T0 + s * 1000;

const ALICE = '@run-s1-alice-vesta:fixture.localhost';
const BOB = '@run-s1-bob-orlo:fixture.localhost';
const enc = encodeURIComponent;

function x(seq: number, actor: string, method: string, path: string, startS: number, durationMs: number, extra: Partial<Exchange> = {}): Exchange {
  return { seq, actor, method, path, status: 200, startedAt: at(startS), durationMs, ...extra };
}

/** The target facts of the fixture run: idle 5 s, currently_active 3 s, checks every 5 s from boot, a 60 s job first 10 s after boot (1 s before T0). */
export const FACTS = {
  timings: { idleTimeoutMs: 5_000, activeWindowMs: 3_000, syncOnlineTimeoutMs: 30_000, checkIntervalMs: 5_000, firstCheckAfterMs: 0, longestCycleMs: 60_000, firstCycleAfterMs: 10_000, deliveryMs: 2_000, slackMs: 1_000 },
  serverStartedAt: T0 - 1_000,
} satisfies TimelineFacts;

/** The pair of the federation story: A under test, B its peer. */
export const PAIR = { serverName: '127.0.0.1:1001', peer: { serverName: '127.0.0.1:1002' } } satisfies TimelineFacts;

export function idleStory(overrides: Partial<EvidenceFile> = {}): EvidenceFile {
  return {
    test: 'PRES-IDLE-AUTO > alice goes unavailable',
    verdict: 'fail',
    message: 'ConformanceFailure: timed out after 9600 ms (3 probes) waiting for bob to see alice unavailable; last observed: [...]',
    lastObserved: [{ via: 'get', content: { presence: 'online', last_active_ago: 10_000 }, from: ms(12), to: ms(12.005) }],
    lastObservedAt: ms(12.01),
    waits: [{ what: 'bob to see alice unavailable', since: ms(3), deadline: ms(12.5), endedAt: ms(12.6) }],
    violations: [],
    exchanges: [
      x(1, 'harness', 'POST', '/_matrix/client/v3/register', 0, 40, { setup: true, requestBody: { username: 'run-s1-alice-vesta' }, responseBody: { user_id: ALICE } }),
      x(2, 'harness', 'POST', '/_matrix/client/v3/register', 0.1, 40, { setup: true, requestBody: { username: 'run-s1-bob-orlo' }, responseBody: { user_id: BOB } }),
      x(3, 'alice', 'POST', '/_matrix/client/v3/createRoom', 0.5, 60, { setup: true, responseBody: { room_id: '!r:fixture.localhost' } }),
      x(4, 'bob', 'POST', `/_matrix/client/v3/join/${enc('!r:fixture.localhost')}`, 0.8, 60, { setup: true }),
      x(5, 'alice', 'PUT', `/_matrix/client/v3/presence/${enc(ALICE)}/status`, 1, 20, { requestBody: { presence: 'online' } }),
      x(6, 'alice', 'PUT', `/_matrix/client/v3/rooms/${enc('!r:fixture.localhost')}/send/m.room.message/t1`, 2, 20, { requestBody: { body: 'hi' } }),
      x(7, 'bob', 'GET', `/_matrix/client/v3/presence/${enc(ALICE)}/status`, 2.995, 5, { responseBody: { presence: 'online', currently_active: true, last_active_ago: 1_000 } }),
      x(8, 'bob', 'GET', '/_matrix/client/v3/sync?timeout=4000', 3.1, 4_000, {
        responseBody: { next_batch: 's2', presence: { events: [
          { type: 'm.presence', sender: ALICE, content: { presence: 'online', currently_active: false, last_active_ago: 5_000 } },
          { type: 'm.presence', sender: BOB, content: { presence: 'online', currently_active: true } },
        ] } },
      }),
      x(9, 'bob', 'GET', `/_matrix/client/v3/presence/${enc(ALICE)}/status`, 7.995, 5, { responseBody: { presence: 'online', last_active_ago: 6_000 } }),
      x(10, 'bob', 'GET', `/_matrix/client/v3/presence/${enc(ALICE)}/status`, 12, 5, { responseBody: { presence: 'online', last_active_ago: 10_000 } }),
    ],
    ...overrides,
  };
}

const A = '127.0.0.1:1001';
const B = '127.0.0.1:1002';
const FED_ALICE = `@run-s2-alice-jess:${A}`;
const FED_BOB = `@run-s2-bob-kenna:${B}`;

function txn(seq: number, id: string, startS: number, push: unknown[]): Exchange {
  return x(seq, `federation ${A} -> ${B}`, 'PUT', `/_matrix/federation/v1/send/${enc(id)}`, startS, 0, { requestBody: { origin: A, edus: [{ edu_type: 'm.presence', content: { push } }, { edu_type: 'm.typing', content: {} }], pdus: 0 } });
}

export function federationStory(): EvidenceFile {
  const second = { user_id: FED_ALICE, presence: 'online', currently_active: true, last_active_ago: 10 };
  return {
    test: 'PRES-FED-SHARED > each state alice sets goes to bob\'s server',
    verdict: 'fail',
    message: "ConformanceFailure: timed out after 4000 ms (16 probes) waiting for an m.presence EDU carrying alice's offline; last observed: [...]",
    lastObserved: [{ txn: { txnId: 'txn/2', origin: A, destination: B }, item: second }],
    lastObservedAt: ms(6),
    waits: [{ what: "an m.presence EDU carrying alice's offline", since: ms(2), deadline: ms(6), endedAt: ms(6) }],
    violations: [],
    exchanges: [
      x(1, 'alice', 'PUT', `/_matrix/client/v3/presence/${enc(FED_ALICE)}/status`, 1, 10, { requestBody: { presence: 'unavailable' } }),
      x(2, 'alice', 'PUT', `/_matrix/client/v3/presence/${enc(FED_ALICE)}/status`, 3, 10, { requestBody: { presence: 'online' } }),
      x(3, 'bob', 'GET', `/_matrix/client/v3/presence/${enc(FED_ALICE)}/status`, 5, 5, { responseBody: { presence: 'online' } }),
      x(4, 'alice', 'PUT', `/_matrix/client/v3/presence/${enc(FED_ALICE)}/status`, 5.5, 10, { requestBody: { presence: 'offline' } }),
      // The proxy's record, kept as exchanges when the story read it (after the fact: seq order is not time order).
      txn(5, 'txn/1', 1.5, [{ user_id: FED_ALICE, presence: 'unavailable', last_active_ago: 500 }]),
      txn(6, 'txn/2', 3.5, [second, { user_id: FED_BOB, presence: 'online' }]),
      x(7, 'harness', 'POST', '/_matrix/client/v3/register', 1, 10, { setup: true, requestBody: { username: 'run-s2-bob-kenna' }, responseBody: { user_id: FED_BOB } }),
    ],
  };
}
