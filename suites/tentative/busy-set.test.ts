import { expect } from 'vitest';
import { BUSY, busyStoryApplies, requirement, sentAt, spanOf, unlessTimerEnded } from '../../harness/story/index.js';

requirement('PRES-TENT-BUSY-SET', ({ test }) => {
  test('where /versions advertises busy, PUT busy is accepted, GET shows it and a roommate receives it', async ({ server, skip }) => {
    await busyStoryApplies(server, skip, true);
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    await bob.sync();
    const status = server.statusMessage();

    // The PUT is what the requirement is about: its refusal is the failure.
    const put = await alice.putPresence({ presence: BUSY, status_msg: status });
    expect(put.status, put.evidence).toBeGreaterThanOrEqual(200);
    expect(put.status, put.evidence).toBeLessThan(300);
    // She never syncs: a server may end any state of hers at its sync-online timeout (the server's right).
    const premise = { state: BUSY, since: sentAt(put), syncing: false };

    const got = await alice.getPresence();
    expect(got.status, got.evidence).toBe(200);
    unlessTimerEnded(premise, server.timings, got.body.presence, spanOf(got).to, got.evidence);
    expect(got.body.presence, got.evidence).toBe(BUSY);
    expect(got.body.status_msg, got.evidence).toBe(status);

    // "Roommates see it": bob's /sync carries it as she set it.
    try {
      await bob.seesPresence(alice, (p) => p.presence === BUSY && p.status_msg === status, { deadline: server.soon(), what: `${BUSY}, "${status}"` });
    } catch (cause) {
      const last = bob.receivedFrom(alice).at(-1);
      unlessTimerEnded(premise, server.timings, last?.event.content.presence, Date.now(), cause instanceof Error ? cause.message : String(cause));
      throw cause;
    }
  });
});
