import { expect } from 'vitest';
import { given, requirement } from '../../harness/story/index.js';

requirement('PRES-LAA-FORMAT', ({ test }) => {
  test('last_active_ago over GET and /sync is a non-negative integer of milliseconds, no older than the user', async ({ server }) => {
    const bornBefore = Date.now();
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    const status = server.statusMessage();
    await alice.setPresence('online', status);
    await alice.sendMessage(room, server.message());

    // Any update about her will do: whether it carries last_active_ago is not this requirement's to say.
    const event = await given('PRES-VIS-SHARED-SYNC', "alice's change reaches bob over /sync", bob.seesPresence(alice, (p) => p.status_msg === status, { deadline: server.soon(), what: `"${status}"` }));
    const roommate = await bob.getPresence(alice);
    const own = await alice.getPresence();
    const payloads = [
      [event, `m.presence event: ${JSON.stringify(event)}`],
      [roommate.body, roommate.evidence],
      [own.body, own.evidence],
    ] as const;
    // The format of a value the server gives; the field itself is optional.
    const values = payloads.filter(([payload]) => 'last_active_ago' in payload).map(([payload, evidence]) => [payload.last_active_ago, evidence] as const);
    await given('PRES-LAA-PROACTIVE', 'the server gives last_active_ago at all (over /sync or GET)', async () => {
      expect(values.length, payloads.map(([, evidence]) => evidence).join('\n')).toBeGreaterThan(0);
    });

    for (const [ago, evidence] of values) {
      expect(typeof ago, evidence).toBe('number');
      expect(Number.isInteger(ago), evidence).toBe(true);
      expect(ago, evidence).toBeGreaterThanOrEqual(0);
      // Plausible: she cannot have been active before she was registered.
      expect(ago, evidence).toBeLessThanOrEqual(Date.now() - bornBefore + server.timings.slackMs);
    }
  });
});
