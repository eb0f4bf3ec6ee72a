import { eventually, Inconclusive, isAbout, requirement, type PresenceContent, type PresenceStatus } from '../../harness/story/index.js';

const sameAs = (a: PresenceStatus) => (b: PresenceStatus) => a.presence === b.presence && (a.status_msg ?? null) === (b.status_msg ?? null);

requirement('PRES-VIS-JOIN', ({ test }) => {
  test("bob, on joining a room with alice, receives her current presence", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    // The room and the invitation first: set-up steps may queue for minutes on
    // a loaded machine, and a declared timer (she never syncs: the sync-online
    // timeout) would change what she set while they did.
    const room = await alice.createRoom();
    await alice.invite(room, bob);
    await bob.sync();

    // Her presence last, right before the join. Alice changes nothing from
    // here on: only the join can bring her presence.
    const status = server.statusMessage();
    await alice.setPresence('unavailable', status);
    await bob.join(room);

    // "Her current presence": what she set, or, if a declared timer changed it
    // since (the join is a set-up step too), what her own GET shows as the
    // wait goes on — read after each of bob's syncs, so every state she had
    // from the join to bob's receipt is accepted, and nothing else.
    const current: PresenceStatus[] = [{ presence: 'unavailable', status_msg: status }];
    await eventually(
      async (left) => {
        const synced = await bob.sync({ timeoutMs: Math.min(left, 1_000) });
        if (synced.status !== 200) throw new Inconclusive('bob could not sync', undefined, synced.evidence);
        const own = await alice.getPresence();
        if (own.status === 200 && !current.some(sameAs(own.body))) {
          current.push({ presence: own.body.presence, status_msg: own.body.status_msg });
          server.recorder.note(`alice's own GET now shows ${JSON.stringify(own.body)} (exchange #${own.exchange.seq}), not what she set: accepted as her current presence from then on`);
        }
        return (synced.body.presence?.events ?? []).filter((e) => isAbout(e, alice.userId)).map((e) => e.content);
      },
      (events: PresenceContent[]) => events.find((e) => current.some(sameAs(e))),
      { deadline: server.soon(), what: `bob to see her current presence (unavailable, "${status}", as she set, or what her own GET shows by then)`, intervalMs: 0, recorder: server.recorder },
    );
  });
});
