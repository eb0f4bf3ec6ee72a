import { expect } from 'vitest';
import { given } from '../given.js';
import { isAbout, type MatrixUser, type PresenceEvent, type SyncBody } from '../client/matrix-user.js';
import type { TestServer } from '../test-server.js';

/*
 * How the stories of `set_presence` end, on /v3/sync (suites/sync) and on
 * sliding sync (suites/tentative/sss-*): the same statement, two endpoints,
 * one ending each.
 */

/** The `online` events about `alice` that `bob` has received so far. */
export function onlineEventsAbout(bob: MatrixUser, alice: MatrixUser): PresenceEvent[] {
  return bob.receivedFrom(alice).filter((r) => r.event.content.presence === 'online').map((r) => r.event);
}

/**
 * After her stream kept `set_presence=offline`: neither her own GET nor her
 * roommate's says online, and no online event reached him (the requirement
 * says nothing more: offline from unavailable is allowed). Then the positive
 * control: had she been marked online, bob would have been told within the window.
 */
export async function notMarkedOnline(server: TestServer, alice: MatrixUser, bob: MatrixUser): Promise<void> {
  const own = await alice.getPresence();
  expect(own.body.presence, own.evidence).not.toBe('online');
  const seen = await bob.getPresence(alice);
  if (seen.status === 200) expect(seen.body.presence, seen.evidence).not.toBe('online');
  expect(onlineEventsAbout(bob, alice)).toEqual([]);
  const back = server.statusMessage();
  await alice.setPresence('online', back);
  await given('PRES-VIS-SHARED-SYNC', 'bob is told when alice does go online', bob.seesPresence(alice, (p) => p.presence === 'online' && p.status_msg === back, { deadline: server.soon(), what: `online, "${back}"` }));
}

/**
 * For a roommate's stream while she keeps `set_presence=unavailable`: an
 * event that gives her another state breaks it; one without a state is
 * PRES-SCHEMA-EVENT's finding.
 */
export function anotherStateThanUnavailable(alice: MatrixUser): (body: SyncBody) => string | undefined {
  return (body) => {
    const other = body.presence?.events?.filter((e) => isAbout(e, alice.userId) && e.content.presence !== undefined && e.content.presence !== 'unavailable');
    return other?.length ? `received ${JSON.stringify(other)}` : undefined;
  };
}

/** At the end: her own GET, and her roommate's if he may read it, say unavailable. */
export async function readsUnavailable(alice: MatrixUser, bob: MatrixUser): Promise<void> {
  const own = await alice.getPresence();
  expect(own.body.presence, own.evidence).toBe('unavailable');
  const seen = await bob.getPresence(alice);
  if (seen.status === 200) expect(seen.body.presence, seen.evidence).toBe('unavailable');
}
