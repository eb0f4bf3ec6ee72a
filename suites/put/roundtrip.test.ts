import { expect } from 'vitest';
import { PRESENCE_STATES, requirement, sentAt, spanOf, unlessTimerEnded } from '../../harness/story/index.js';

requirement('PRES-PUT-ROUNDTRIP', ({ test }) => {
  test.for(PRESENCE_STATES)('PUT %s with a status_msg is what GET returns', async (state, { server }) => {
    const [alice] = await server.users('alice');
    const status = server.statusMessage();

    // The PUT itself is under test here, so its refusal is a failure, not a step that failed.
    const put = await alice.putPresence({ presence: state, status_msg: status });
    expect(put.status, put.evidence).toBeGreaterThanOrEqual(200);
    expect(put.status, put.evidence).toBeLessThan(300);

    const got = await alice.getPresence();
    expect(got.status, got.evidence).toBe(200);
    // On a stalled machine her idle or sync-online timeout may have fired before the GET: the server's right.
    unlessTimerEnded({ state, since: sentAt(put), syncing: false }, server.timings, got.body.presence, spanOf(got).to, got.evidence);
    expect(got.body.presence, got.evidence).toBe(state);
    expect(got.body.status_msg, got.evidence).toBe(status);
  });
});
