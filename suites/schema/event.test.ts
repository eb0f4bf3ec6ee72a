import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';
import { PRESENCE_STATES, schemaErrors, type PresenceState } from '../../harness/presence/invariants.js';

requirement('PRES-SCHEMA-EVENT', ({ test }) => {
  test("every m.presence event about alice, in each state, with and without a status message, matches the event schema", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    await bob.sync();
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
      await bob.seesPresence(alice, (p) => p.presence === state && p.status_msg === status, {
        deadline: server.soon(),
        what: `${state}${status ? `, "${status}"` : ', no status message'}`,
      });
    }
    await alice.sync();

    const events = [...bob.receivedFrom(alice), ...alice.receivedFrom(alice)].map((r) => r.event);
    const shown = JSON.stringify(events);
    expect(events.length, shown).toBeGreaterThanOrEqual(steps.length);
    expect(new Set(events.map((e) => e.content.presence)), shown).toEqual(new Set(PRESENCE_STATES));
    expect(events.some((e) => typeof e.content.status_msg === 'string'), shown).toBe(true);
    expect(events.some((e) => e.content.status_msg === undefined), shown).toBe(true);
    expect(events.map((event) => ({ event, errors: schemaErrors('sync-event', event) })).filter((r) => r.errors.length > 0)).toEqual([]);
  });
});
