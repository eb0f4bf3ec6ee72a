import { expect } from 'vitest';
import { given, isAbout, requirement, requirePair, type SyncBody } from '../../harness/story/index.js';

requirement('PRES-FED-ORIGIN', ({ test }) => {
  test("an EDU from the other server about dave, a user of this one, changes nothing this server shows of dave", async ({ server, skip }) => {
    requirePair(server, skip);
    const alice = await server.peerUser('alice');
    const [bob, dave] = await server.users('bob', 'dave');
    await server.sharedRoom(bob, alice);
    await server.sharedRoom(bob, dave);
    await bob.sync();
    const daves = server.statusMessage();
    await dave.setPresence('unavailable', daves);
    await given('PRES-VIS-SHARED-SYNC', "bob sees dave's own presence first", bob.seesPresence(dave, (p) => p.status_msg === daves, { deadline: server.soon(), what: `"${daves}"` }));
    const here = server.target.serverName;
    const other = server.target.peer!.serverName;

    // Positive control: an EDU the harness sends in the other server's name about alice, one of its users, is taken.
    const genuine = server.statusMessage();
    const accepted = await server.federation.inject(other, here, [{ edu_type: 'm.presence', content: { push: [{ user_id: alice.userId, presence: 'unavailable', status_msg: genuine, last_active_ago: 1_000, currently_active: false }] } }]);
    await given('PRES-FED-SHARED', "an EDU the harness sends in the other server's name is taken: bob sees its update of alice", async () => {
      expect(accepted).toBe(200);
      await bob.seesPresence(alice, (p) => p.status_msg === genuine, { deadline: server.soon(), what: `"${genuine}"` });
    });

    const spoofed = server.statusMessage();
    // Whatever the server answers the transaction, what counts is what it shows afterwards.
    await server.federation.inject(other, here, [{ edu_type: 'm.presence', content: { push: [{ user_id: dave.userId, presence: 'online', status_msg: spoofed, last_active_ago: 0, currently_active: true }] } }]);
    const spoofedDave = (body: SyncBody) =>
      body.presence?.events?.some((e) => isAbout(e, dave.userId) && (e.content as { status_msg?: unknown } | undefined)?.status_msg === spoofed) ? `received ${JSON.stringify(body.presence?.events)}` : undefined;
    await bob.syncThroughout({ until: server.acrossCycles(), what: `for the spoofed "${spoofed}" of dave`, violates: spoofedDave });
    const read = await bob.getPresence(dave);
    expect(read.body.status_msg, read.evidence).not.toBe(spoofed);
  });
});
