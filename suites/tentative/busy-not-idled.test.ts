import { BUSY, Inconclusive, busyStoryApplies, given, requirement, sentAt, throughout } from '../../harness/story/index.js';

/** She was seen offline during the watch: no longer busy, so the watch has nothing left to judge. */
class NoLongerBusy extends Error {}

requirement('PRES-TENT-BUSY-NOT-IDLED', ({ test }) => {
  test('a busy user who does nothing is not made unavailable across the idle threshold and the server cycles', async ({ server, skip }) => {
    await busyStoryApplies(server, skip, true);
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    await bob.sync();
    const { idleTimeoutMs } = server.timings;
    const status = server.statusMessage();

    // Set-up first, her PUT last: from here on she does nothing (no sync, no message).
    const put = await alice.putPresence({ presence: BUSY, status_msg: status });
    await given('PRES-TENT-BUSY-SET', `the server accepts ${BUSY}`, async () => {
      if (put.status < 200 || put.status > 299) throw new Error(put.evidence);
    });
    const busyAt = sentAt(put);
    // As long as a server that idles busy like online would need (PRES-IDLE-AUTO's
    // deadline), and across the server's periodic presence jobs (decision 0008).
    // Not longer: MSC3026 asks only that no idle timer make her unavailable;
    // Synapse ends a busy state without syncs after an hour (BUSY_ONLINE_TIMEOUT), to offline.
    const idleDue = server.afterTimer(busyAt, idleTimeoutMs);
    const until = Math.max(idleDue, server.acrossCycles(idleTimeoutMs, busyAt));

    // Positive control: "never unavailable" means something only if bob sees her busy.
    await given('PRES-TENT-BUSY-SET', `bob receives alice's ${BUSY}, "${status}" over /sync`, bob.seesPresence(alice, (p) => p.presence === BUSY && p.status_msg === status, { deadline: server.soon(), what: `${BUSY}, "${status}"` }));

    try {
      await throughout(
        (left) => bob.observePresence(alice, { pollMs: Math.min(left, 1_000) }),
        (seen) => {
          const idle = seen.find((s) => s.content.presence === 'unavailable');
          if (idle) return `bob saw busy alice unavailable via ${idle.via} ${idle.to - busyAt} ms after she set busy and did nothing since: ${JSON.stringify(idle.content)}`;
          if (seen.some((s) => s.content.presence === 'offline')) throw new NoLongerBusy();
          return undefined;
        },
        { until, what: `alice, busy and doing nothing, is not idled (idle threshold ${idleTimeoutMs} ms)`, recorder: server.recorder },
      );
    } catch (cause) {
      if (!(cause instanceof NoLongerBusy)) throw cause;
      // Offline is no idling (a server may end a state nobody syncs for, the sync-online timeout);
      // it ends the watch, which judged something only if it had passed the idle deadline.
      const at = Date.now();
      if (at < idleDue) throw new Inconclusive(`alice went offline ${at - busyAt} ms after she set busy, before the idle deadline (${idleDue - busyAt} ms): nothing judged`);
      server.recorder.note(`alice went offline ${at - busyAt} ms after she set busy, after the idle deadline: never unavailable until then`);
    }
  });
});
