import { expect } from 'vitest';
import { given, PRESENCE_STATES, requirement } from '../../harness/story/index.js';

requirement('PRES-STATE-ENUM', ({ test }) => {
  test('each state a roommate sees, over /sync and GET, is online, unavailable or offline', async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);

    for (const state of PRESENCE_STATES) {
      // A fresh status message identifies the update, whatever state the server renders it as.
      const status = server.statusMessage();
      await alice.setPresence(state, status);
      const event = await given(
        'PRES-VIS-SHARED-SYNC',
        `bob receives alice's update "${status}" over /sync`,
        bob.seesPresence(alice, (p) => p.status_msg === status, { deadline: server.soon(), what: `the update "${status}"` }),
      );
      // A missing presence is PRES-SCHEMA-EVENT's finding; a value given must be in the enum.
      if (event.presence !== undefined) expect(PRESENCE_STATES, JSON.stringify(event)).toContain(event.presence);
      const got = await bob.getPresence(alice);
      if (got.status === 200) expect(PRESENCE_STATES, got.evidence).toContain(got.body.presence);
    }
    for (const { event } of bob.receivedFrom(alice)) {
      if (event.content.presence !== undefined) expect(PRESENCE_STATES, JSON.stringify(event)).toContain(event.content.presence);
    }
  });
});
