import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';

requirement('PRES-FFC-PUT', ({ test }) => {
  test('PUT free_for_chat is refused with a 4xx and online stays online', async ({ server }) => {
    const [alice] = await server.users('alice');
    const status = server.statusMessage();
    await alice.setPresence('online', status);

    const reply = await alice.putPresence({ presence: 'free_for_chat' });

    expect(reply.status, reply.evidence).toBeGreaterThanOrEqual(400);
    expect(reply.status, reply.evidence).toBeLessThan(500);
    const after = await alice.getPresence();
    expect(after.body.presence, after.evidence).toBe('online');
    expect(after.body.status_msg, after.evidence).toBe(status);
  });

  test('PUT free_for_chat is refused with a 4xx and unavailable stays unavailable', async ({ server }) => {
    const [alice] = await server.users('alice');
    await alice.setPresence('unavailable');

    const reply = await alice.putPresence({ presence: 'free_for_chat', status_msg: server.statusMessage() });

    expect(reply.status, reply.evidence).toBeGreaterThanOrEqual(400);
    expect(reply.status, reply.evidence).toBeLessThan(500);
    const after = await alice.getPresence();
    expect(after.body.presence, after.evidence).toBe('unavailable');
  });
});

requirement('PRES-FFC-ERRCODE', ({ test }) => {
  test('the refusal names a bad value with M_INVALID_PARAM or M_BAD_JSON', async ({ server }) => {
    const [alice] = await server.users('alice');

    const reply = await alice.putPresence({ presence: 'free_for_chat' });

    expect(reply.status, reply.evidence).toBe(400);
    expect(['M_INVALID_PARAM', 'M_BAD_JSON'], reply.evidence).toContain(reply.body.errcode);
  });
});
