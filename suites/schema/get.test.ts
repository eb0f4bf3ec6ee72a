import { expect } from 'vitest';
import { given, requirement, schemaErrors, type MatrixUser, type PresenceState, type PresenceStatus, type Reply } from '../../harness/story/index.js';

requirement('PRES-SCHEMA-GET', ({ test }) => {
  test("every GET of alice's status, by herself and by a roommate, in each state, matches the response schema", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    const replies: Reply<PresenceStatus>[] = [];
    // Only a 200 has a body the schema speaks of; a refusal is another requirement's failure.
    const read = async (reader: MatrixUser, beforeAnySet = false) => {
      const reply = await reader.getPresence(alice);
      // Before she set anything the server may have no presence of hers to
      // give (tuwunel 1.4.6 answers 404 until a PUT or /sync stores some):
      // that refusal has no body to judge, and the reads after her PUTs are
      // still judged below.
      if (beforeAnySet && reply.status === 404) return;
      await given(reader === alice ? 'PRES-PUT-ROUNDTRIP' : 'PRES-VIS-SHARED-GET', `${reader.role} may read alice's presence`, async () => {
        expect(reply.status, reply.evidence).toBe(200);
      });
      replies.push(reply);
    };
    // Before she ever set anything: the server's default.
    await read(alice, true);
    await read(bob, true);
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
      await read(alice);
      await read(bob);
    }

    const bodies = replies.map((r) => r.body);
    expect(bodies.map((body) => ({ body, errors: schemaErrors('get-status', body) })).filter((r) => r.errors.length > 0)).toEqual([]);
  });
});
