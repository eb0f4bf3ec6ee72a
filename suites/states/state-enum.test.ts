import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';
import { PRESENCE_STATES } from '../../harness/presence/invariants.js';

requirement('PRES-STATE-ENUM', ({ test }) => {
  test('each state a roommate sees, over /sync and GET, is online, unavailable or offline', async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);

    for (const state of PRESENCE_STATES) {
      await alice.setPresence(state);
      const event = await bob.seesPresence(alice, (p) => p.presence === state, { deadline: server.soon(), what: state });
      const got = await bob.getPresence(alice);
      expect(PRESENCE_STATES, got.evidence).toContain(got.body.presence);
      expect(PRESENCE_STATES).toContain(event.presence);
    }
    for (const { event } of bob.receivedFrom(alice)) expect(PRESENCE_STATES, JSON.stringify(event)).toContain(event.content.presence);
  });
});
