import { expect } from 'vitest';
import type { MatrixUser, PresenceEvent, PresenceStatus } from '../client/matrix-user.js';
import type { Reply } from '../client/http.js';
import { given } from '../given.js';
import type { TestServer } from '../test-server.js';

/**
 * One malformed `m.presence` push item the harness sends in the other
 * server's name: `item` builds it for the other server's user `userId`,
 * with `status` a fresh status message that identifies it where the case
 * leaves `status_msg` alone.
 */
export interface InboundCase {
  /** What is wrong with it, for the evidence: `presence: "busy"`. */
  name: string;
  item(userId: string, status: string): Record<string, unknown>;
}

/** What the server under test showed its own user of the other server's user after one malformed EDU. */
export interface InboundShown {
  case: InboundCase;
  /** The receiver's answer to the transaction that carried it. */
  answered: number;
  /** The `m.presence` events about her bob received from the injection until the marker. */
  events: PresenceEvent[];
  /** Bob's GET of her presence once the marker was seen (a refusal is another requirement's: left out). */
  get?: Reply<PresenceStatus>;
}

/** A well-formed push item: what a conforming server sends. */
const wellFormed = (userId: string, status: string) => ({ user_id: userId, presence: 'unavailable', status_msg: status, last_active_ago: 1_000, currently_active: false });

/**
 * Injects each case's malformed EDU, in the other server's name, about
 * alice, a user of the other server who shares a room with bob, a user of
 * the server under test (the receiver), and returns what bob was then shown
 * of alice over /sync and GET. The harness only sends: the stories judge.
 *
 * Preconditions (inconclusive when not reached): a well-formed injected EDU
 * about alice with a fresh status message reaches bob first (the injection
 * path works); each malformed transaction is answered by the receiver; and
 * after each, a well-formed EDU about marker (another user of the other
 * server in the room) reaches bob, so the receiver has handled the malformed
 * one before (transactions from one origin are taken in order) and whatever
 * it made of it is in bob's /sync by then. A receiver that drops a malformed
 * EDU shows nothing new, and conforms.
 */
export async function showAfterMalformed(server: TestServer, cases: readonly InboundCase[]): Promise<InboundShown[]> {
  const [alice, marker] = [await server.peerUser('alice'), await server.peerUser('marker')];
  const bob = await server.user('bob');
  await server.sharedRoom(bob, alice, marker);
  await bob.sync();
  const here = server.target.serverName;
  const other = server.target.peer!.serverName;

  const control = server.statusMessage();
  const accepted = await server.federation.inject(other, here, [presenceEdu(wellFormed(alice.userId, control))]);
  await given('PRES-FED-SHARED', "a well-formed EDU the harness sends in the other server's name is taken: bob sees its update of alice", async () => {
    expect(accepted).toBe(200);
    await bob.seesPresence(alice, (p) => p.status_msg === control, { deadline: server.soon(), what: `"${control}"` });
  });

  const shown: InboundShown[] = [];
  for (const one of cases) {
    const before = bob.receivedFrom(alice).length;
    const answered = await server.federation.inject(other, here, [presenceEdu(one.item(alice.userId, server.statusMessage()))]);
    // 0: the link failed; 429: never taken in the retry window; 502: the proxy's own answer.
    await given(null, `the receiver answered the transaction carrying ${one.name}`, async () => expect([0, 429, 502], `answered ${answered}`).not.toContain(answered));
    await seesMarker(server, bob, marker, other, here, one.name);
    const events = bob.receivedFrom(alice).slice(before).map((r) => r.event);
    const got = await bob.getPresence(alice);
    shown.push({ case: one, answered, events, ...(got.status === 200 ? { get: got } : {}) });
  }
  return shown;
}

/** A well-formed EDU about `marker` reaches bob: the receiver has handled every transaction sent before it. */
async function seesMarker(server: TestServer, bob: MatrixUser, marker: MatrixUser, other: string, here: string, after: string): Promise<void> {
  const status = server.statusMessage();
  const answered = await server.federation.inject(other, here, [presenceEdu(wellFormed(marker.userId, status))]);
  await given('PRES-FED-SHARED', `after the EDU with ${after}, a well-formed one about marker reaches bob`, async () => {
    expect(answered).toBe(200);
    await bob.seesPresence(marker, (p) => p.status_msg === status, { deadline: server.soon(), what: `marker's "${status}"` });
  });
}

function presenceEdu(item: Record<string, unknown>) {
  return { edu_type: 'm.presence', content: { push: [item] } };
}

/** One payload bob was shown: a /sync event (`payload`, its `content`) or a GET body (both). */
export interface ShownPayload {
  via: 'sync' | 'get';
  payload: PresenceEvent | PresenceStatus;
  content: PresenceStatus;
  evidence: string;
}

/**
 * Every payload bob was shown about alice in `shown`, with where it was
 * seen, for a story to judge: the /sync event contents, then the GET body.
 */
export function payloadsShown(shown: readonly InboundShown[]): ShownPayload[] {
  return shown.flatMap((s) => [
    ...s.events.map((event) => ({ via: 'sync' as const, payload: event, content: event.content, evidence: `after ${s.case.name} (answered ${s.answered}), /sync showed ${JSON.stringify(event).slice(0, 400)}` })),
    ...(s.get ? [{ via: 'get' as const, payload: s.get.body, content: s.get.body, evidence: `after ${s.case.name} (answered ${s.answered}), ${s.get.evidence.slice(0, 400)}` }] : []),
  ]);
}
