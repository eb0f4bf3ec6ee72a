import { expect } from 'vitest';
import { agoReading, elapsedBetween, given, requirement, throughout, type AgoReading, type MatrixUser, type TestServer } from '../../harness/story/index.js';

/**
 * `alice` changes her status message (not a pro-active event) while
 * unavailable; returns the `last_active_ago` of the event `bob` is given,
 * produced after the PUT was sent and before bob received it.
 */
async function statusChangeSeen(server: TestServer, alice: MatrixUser, bob: MatrixUser): Promise<AgoReading | undefined> {
  const status = server.statusMessage();
  const putAt = await alice.setPresence('unavailable', status);
  const content = await given('PRES-VIS-SHARED-SYNC', `alice's status change "${status}" reaches bob over /sync`, bob.seesPresence(alice, (p) => p.status_msg === status, { deadline: server.soon(), what: `status "${status}"` }));
  const received = bob.receivedFrom(alice).find((r) => r.event.content === content)!;
  return agoReading({ content, from: Math.max(putAt, received.requestedAt), to: received.receivedAt });
}

requirement('PRES-LAA-FRESH', ({ test }) => {
  test('m.presence events given Δ apart carry last_active_ago values Δ apart', async ({ server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const { activeWindowMs, slackMs } = server.timings;
    await alice.setPresence('online');

    const first = await statusChangeSeen(server, alice, bob);
    if (!first) return skip('the server gives no last_active_ago in m.presence events');
    // Δ spans more than the currently_active window (see fresh-get.test.ts);
    // meanwhile every last_active_ago bob is given must be up to date too.
    const check = (reading: AgoReading) => {
      const { min, max } = elapsedBetween(first, reading);
      const grew = reading.ago - first.ago;
      return grew < min - slackMs || grew > max + slackMs ? `last_active_ago went from ${first.ago} to ${reading.ago} ms (+${grew}) while ${min}..${max} ms passed` : undefined;
    };
    await throughout(
      (left) => bob.observePresence(alice, { pollMs: Math.min(left, 1_000) }),
      (seen) => seen.map(agoReading).map((r) => r && check(r)).find(Boolean),
      { until: server.lasting(activeWindowMs + 2 * slackMs, first.to), intervalMs: 0, what: "alice's last_active_ago as bob is given it", recorder: server.recorder },
    );
    const second = await statusChangeSeen(server, alice, bob);
    if (!second) return skip('the server gives no last_active_ago in m.presence events');

    expect(check(second)).toBeUndefined();
  });
});
