import { expect } from 'vitest';
import { BUSY, busyStoryApplies, given, readsWhatSheSet, requirement, spanOf, unlessTimerEnded } from '../../harness/story/index.js';

requirement('PRES-TENT-BUSY-REFUSED', ({ test }) => {
  test('where /versions does not advertise busy, PUT busy is refused with a 4xx and her state stays as she set it', async ({ server, skip }) => {
    await busyStoryApplies(server, skip, false);
    const [alice] = await server.users('alice');
    const status = server.statusMessage();
    const setAt = await alice.setPresence('online', status);
    // "Unchanged" can only be judged once GET shows what she set (a server may
    // apply a PUT after acknowledging it): settled now, judged after the attempt.
    const shown = readsWhatSheSet(server, alice, alice, status);
    await shown.catch(() => undefined);

    const reply = await alice.putPresence({ presence: BUSY, status_msg: server.statusMessage() });

    expect(reply.status, reply.evidence).toBeGreaterThanOrEqual(400);
    expect(reply.status, reply.evidence).toBeLessThan(500);
    await given('PRES-PUT-ROUNDTRIP', "GET shows alice's online before the attempt", shown);
    const after = await alice.getPresence();
    // Unchanged by the attempt; her declared idle or sync-online timeout may still have changed it on a stalled machine.
    unlessTimerEnded({ state: 'online', since: setAt, syncing: false }, server.timings, after.body.presence, spanOf(after).to, after.evidence);
    expect(after.body.presence, after.evidence).toBe('online');
    expect(after.body.status_msg, after.evidence).toBe(status);
  });
});
