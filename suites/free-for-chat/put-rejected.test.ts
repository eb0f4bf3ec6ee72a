import { expect } from 'vitest';
import { given, readsWhatSheSet, requirement, spanOf, unlessTimerEnded } from '../../harness/story/index.js';

requirement('PRES-FFC-PUT', ({ test }) => {
  test.for([
    { state: 'online', statusInAttempt: false },
    { state: 'unavailable', statusInAttempt: true },
  ] as const)('PUT free_for_chat is refused with a 4xx and $state stays $state', async ({ state, statusInAttempt }, { server }) => {
    const [alice] = await server.users('alice');
    const status = server.statusMessage();
    const setAt = await alice.setPresence(state, status);
    // "Unchanged" can only be judged once GET shows what she set (PRES-PUT-ROUNDTRIP; a
    // server may apply a PUT after acknowledging it). Settled now, judged after the refusal.
    const shown = readsWhatSheSet(server, alice, alice, status);
    await shown.catch(() => undefined);

    const reply = await alice.putPresence(statusInAttempt ? { presence: 'free_for_chat', status_msg: server.statusMessage() } : { presence: 'free_for_chat' });

    expect(reply.status, reply.evidence).toBeGreaterThanOrEqual(400);
    expect(reply.status, reply.evidence).toBeLessThan(500);
    await given('PRES-PUT-ROUNDTRIP', `GET shows alice's ${state} before the attempt`, shown);
    const after = await alice.getPresence();
    // Unchanged by the attempt; a declared timer (idle, sync-online) may still have changed it on a stalled machine.
    unlessTimerEnded({ state, since: setAt, syncing: false }, server.timings, after.body.presence, spanOf(after).to, after.evidence);
    expect(after.body.presence, after.evidence).toBe(state);
    expect(after.body.status_msg, after.evidence).toBe(status);
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
