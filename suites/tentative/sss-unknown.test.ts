import { expect } from 'vitest';
import { requirement, slidingSyncClient, type SlidingSyncClient } from '../../harness/story/index.js';

requirement('PRES-TENT-SSS-UNKNOWN', ({ test }) => {
  test('a sliding sync with set_presence=free_for_chat is refused with 400 M_INVALID_PARAM', async ({ server, skip }) => {
    const [alice] = await server.users('alice');
    const client = await slidingSyncClient(server, alice, skip);

    const reply = await client.sync({ setPresence: 'free_for_chat' });

    expect(reply.status, reply.evidence).toBe(400);
    expect(reply.body.errcode, reply.evidence).toBe('M_INVALID_PARAM');
  });

  test("a refused sliding sync with set_presence=free_for_chat leaves alice's presence as it was", async ({ server, skip }) => {
    let client: SlidingSyncClient | undefined;
    const { alice, bob, status } = await server.aliceSeenByBob('unavailable', async (alice) => (client = await slidingSyncClient(server, alice, skip)));

    const reply = await client!.sync({ setPresence: 'free_for_chat' });

    // Refused means without effect: she is still unavailable with her status, to herself and her roommate.
    const own = await alice.getPresence();
    expect({ presence: own.body.presence, status_msg: own.body.status_msg }, `${reply.evidence}\n${own.evidence}`).toEqual({ presence: 'unavailable', status_msg: status });
    const seen = await bob.getPresence(alice);
    if (seen.status === 200) expect({ presence: seen.body.presence, status_msg: seen.body.status_msg }, `${reply.evidence}\n${seen.evidence}`).toEqual({ presence: 'unavailable', status_msg: status });
  });
});
