import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';
import type { Reply } from '../../harness/client/http.js';
import type { PresenceStatus } from '../../harness/client/matrix-user.js';
import { PRESENCE_STATES, schemaErrors, type PresenceState } from '../../harness/presence/invariants.js';

requirement('PRES-SCHEMA-GET', ({ test }) => {
  test("every GET of alice's status, by herself and by a roommate, in each state, matches the response schema", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    // Before she ever set anything: the server's default.
    const replies: Reply<PresenceStatus>[] = [await alice.getPresence(), await bob.getPresence(alice)];
    const steps: Array<[PresenceState, string | undefined]> = [
      ['online', server.statusMessage()],
      ['unavailable', server.statusMessage()],
      ['offline', server.statusMessage()],
      ['unavailable', undefined],
      ['online', undefined],
    ];

    for (const [state, status] of steps) {
      await alice.setPresence(state, status);
      if (state === 'online') await alice.sendMessage(room, server.message());
      replies.push(await alice.getPresence(), await bob.getPresence(alice));
    }

    const shown = replies.map((r) => r.evidence).join('\n');
    expect(replies.map((r) => r.status), shown).toEqual(replies.map(() => 200));
    const bodies = replies.map((r) => r.body);
    expect(new Set(bodies.map((b) => b.presence)), shown).toEqual(new Set(PRESENCE_STATES));
    expect(bodies.some((b) => typeof b.status_msg === 'string'), shown).toBe(true);
    expect(bodies.some((b) => typeof b.last_active_ago === 'number'), shown).toBe(true);
    expect(bodies.map((body) => ({ body, errors: schemaErrors('get-status', body) })).filter((r) => r.errors.length > 0)).toEqual([]);
  });
});
