import { expect } from 'vitest';
import { given, requirement, schemaErrors, type PresenceState } from '../../harness/story/index.js';

requirement('PRES-SCHEMA-EVENT', ({ test }) => {
  test("every m.presence event about alice, in each state, with and without a status message, matches the event schema", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    await bob.sync();
    // Consecutive states differ, so each step's update is recognisable by its state alone.
    const steps: Array<[PresenceState, string | undefined]> = [
      ['unavailable', server.statusMessage()],
      ['offline', server.statusMessage()],
      ['online', server.statusMessage()],
      ['unavailable', undefined],
      ['online', undefined],
    ];

    for (const [state, status] of steps) {
      await alice.setPresence(state, status);
      if (state === 'online') await alice.sendMessage(room, server.message());
      // Producing events is PRES-VIS-SHARED-SYNC's business; their shape is this requirement's.
      // Any update in that state counts: what a PUT without status_msg does to the old one is not for this test to say.
      await given(
        'PRES-VIS-SHARED-SYNC',
        `bob receives an update about alice in state ${state}`,
        bob.seesPresence(alice, (p) => p.presence === state && (status === undefined || p.status_msg === status), {
          deadline: server.soon(),
          what: `${state}${status ? `, "${status}"` : ''}`,
        }),
      );
    }
    await alice.sync();

    const events = [...bob.receivedFrom(alice), ...alice.receivedFrom(alice)].map((r) => r.event);
    expect(events.map((event) => ({ event, errors: schemaErrors('sync-event', event) })).filter((r) => r.errors.length > 0)).toEqual([]);
  });
});
