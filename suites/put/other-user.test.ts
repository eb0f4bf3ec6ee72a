import { expect } from 'vitest';
import { given, readsWhatSheSet, requirement, spanOf, unlessTimerEnded } from '../../harness/story/index.js';

requirement('PRES-PUT-OTHER', ({ test }) => {
  test("a roommate cannot set another user's presence", async ({ server }) => {
    const [alice, mallory] = await server.users('alice', 'mallory');
    await server.sharedRoom(alice, mallory);
    const status = server.statusMessage();
    const setAt = await alice.setPresence('unavailable', status);
    // "State unchanged" can only be judged once GET shows what she set (PRES-PUT-ROUNDTRIP).
    // Settled now, judged after the refusal.
    const shown = readsWhatSheSet(server, alice, alice, status);
    await shown.catch(() => undefined);

    const reply = await mallory.putPresence({ presence: 'online', status_msg: 'set by mallory' }, alice);

    expect(reply.status, reply.evidence).toBeGreaterThanOrEqual(400);
    expect(reply.status, reply.evidence).toBeLessThan(500);
    await given('PRES-PUT-ROUNDTRIP', "GET shows alice's own unavailable before mallory's attempt", shown);
    const after = await alice.getPresence();
    // Unchanged by mallory; her sync-online timeout (she never syncs) may still have made her offline on a stalled machine.
    unlessTimerEnded({ state: 'unavailable', since: setAt, syncing: false }, server.timings, after.body.presence, spanOf(after).to, after.evidence);
    expect(after.body.presence, after.evidence).toBe('unavailable');
    expect(after.body.status_msg, after.evidence).toBe(status);
  });
});
