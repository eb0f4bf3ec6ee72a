import { expect } from 'vitest';
import { requirePair } from '../../harness/federation/needs-pair.js';
import { given } from '../../harness/given.js';
import { requirement } from '../../harness/requirement.js';
import { sleep } from '../../harness/clock.js';

const STATES = ['online', 'unavailable', 'offline'];
const REQUIRED = ['user_id', 'presence', 'last_active_ago'];

requirement('PRES-FED-ENUM', ({ test }) => {
  test('every m.presence EDU of the run, both ways, has a state of the enum and the keys the EDU schema requires', async ({ server, skip }) => {
    requirePair(server, skip);
    // Traffic of its own (every state, both ways), then a watch across the
    // servers' periodic jobs, so that the record holds this story's EDUs,
    // the periodic ones and those of every story running beside it.
    const alice = await server.user('alice');
    const bob = await server.peerUser('bob');
    await server.sharedRoom(alice, bob);
    await bob.sync();
    for (const state of ['unavailable', 'offline', 'online'] as const) {
      await alice.setPresence(state, server.statusMessage());
      await bob.setPresence(state, server.statusMessage());
    }
    const last = server.statusMessage();
    await alice.setPresence('online', last);
    await given('PRES-FED-SHARED', 'presence travels: alice\'s last change reaches bob', bob.seesPresence(alice, (p) => p.status_msg === last, { deadline: server.overFederation(server.soon()), what: `"${last}"` }));
    const until = server.acrossCycles();
    await sleep(Math.max(0, until - Date.now()));

    // EDUs the harness injected (PRES-FED-ORIGIN) are its own, not the servers'.
    const sent = (await server.federation.transactions()).filter((t) => !t.injected);
    const pushes = sent.flatMap((txn) => txn.edus.filter((e) => e.edu_type === 'm.presence').flatMap((e) => {
      const push = (e.content as { push?: unknown } | undefined)?.push;
      return Array.isArray(push) ? push.map((item: unknown) => ({ txn, item })) : [{ txn, item: { push } as unknown }];
    }));
    expect(pushes.length, 'the servers sent m.presence EDUs').toBeGreaterThan(0);
    const bad = pushes.filter(({ item }) => {
      const entry = item as Record<string, unknown> | null;
      return typeof entry !== 'object' || entry === null || !STATES.includes(entry.presence as string) || REQUIRED.some((key) => !(key in entry));
    });
    // Keep the transactions that carried the bad items in the evidence.
    await server.federation.presenceAbout(bad.map(({ item }) => String((item as { user_id?: unknown })?.user_id)));
    expect(bad.map(({ txn, item }) => ({ from: txn.origin, to: txn.destination, txnId: txn.txnId, item }))).toEqual([]);
  });
});
