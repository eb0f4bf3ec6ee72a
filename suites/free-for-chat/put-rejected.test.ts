import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';
import { given } from '../../harness/given.js';

requirement('PRES-FFC-PUT', ({ test }) => {
  test.for([
    { state: 'online', status: true },
    { state: 'unavailable', status: false },
  ] as const)('PUT free_for_chat is refused with a 4xx and $state stays $state', async ({ state, status: withStatus }, { server }) => {
    const [alice] = await server.users('alice');
    const status = withStatus ? server.statusMessage() : undefined;
    await alice.setPresence(state, status);
    const before = await alice.getPresence();

    const reply = await alice.putPresence(withStatus ? { presence: 'free_for_chat' } : { presence: 'free_for_chat', status_msg: server.statusMessage() });

    expect(reply.status, reply.evidence).toBeGreaterThanOrEqual(400);
    expect(reply.status, reply.evidence).toBeLessThan(500);
    // "Unchanged" can only be judged if GET showed what she had set (PRES-PUT-ROUNDTRIP).
    await given('PRES-PUT-ROUNDTRIP', `GET shows alice's ${state} before the attempt`, async () => {
      expect(before.body.presence, before.evidence).toBe(state);
      if (status !== undefined) expect(before.body.status_msg, before.evidence).toBe(status);
    });
    const after = await alice.getPresence();
    expect(after.body.presence, after.evidence).toBe(state);
    if (status !== undefined) expect(after.body.status_msg, after.evidence).toBe(status);
  });
});

requirement('PRES-FFC-ERRCODE', ({ test }) => {
  test('the refusal names a bad value with M_INVALID_PARAM or M_BAD_JSON', async ({ server }) => {
    const [alice] = await server.users('alice');

    const reply = await alice.putPresence({ presence: 'free_for_chat' });

    // Only a refusal can carry the errcode; accepting the value is PRES-FFC-PUT's failure.
    await given('PRES-FFC-PUT', 'PUT free_for_chat is refused with a 4xx', async () => {
      expect(reply.status, reply.evidence).toBeGreaterThanOrEqual(400);
      expect(reply.status, reply.evidence).toBeLessThan(500);
    });
    expect(['M_INVALID_PARAM', 'M_BAD_JSON'], reply.evidence).toContain(reply.body.errcode);
  });
});
