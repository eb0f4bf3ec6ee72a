import { agoReading, elapsedBetween, Inconclusive, requirement, spanOf, throughout } from '../../harness/story/index.js';

requirement('PRES-LAA-FRESH', ({ test }) => {
  test("a roommate's GETs of an inactive user grow by the time between them", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const { activeWindowMs, slackMs, syncOnlineTimeoutMs } = server.timings;
    await alice.setPresence('online');
    const read = async () => {
      const reply = await bob.getPresence(alice);
      return { ...spanOf(reply), content: reply.body };
    };

    // She stays connected but idle (no pro-active event) for the whole
    // window; short long-polls keep her well inside the sync-online timeout.
    await alice.whileSyncing({ setPresence: 'unavailable', pollMs: Math.min(syncOnlineTimeoutMs / 2, slackMs) }, async () => {
      const first = agoReading(await read());
      // Up to date "whenever given": a server that gives none has nothing to check here.
      if (!first) throw new Inconclusive('GET gave no last_active_ago for alice, who was online', 'PRES-LAA-PROACTIVE', JSON.stringify(server.recorder.lastObserved));
      // Δ spans more than the currently_active window, the coarsest
      // granularity a server has any reason for, so a value refreshed only
      // that often drifts out of the slackMs tolerance.
      await throughout(
        read,
        (seen) => {
          const reading = agoReading(seen);
          // A reply without one (or a refused GET) says nothing about its freshness.
          if (!reading) return undefined;
          const { min, max } = elapsedBetween(first, reading);
          const grew = reading.ago - first.ago;
          return grew < min - slackMs || grew > max + slackMs
            ? `last_active_ago went from ${first.ago} to ${reading.ago} ms (+${grew}) while ${min}..${max} ms passed`
            : undefined;
        },
        { until: server.lasting(activeWindowMs + 2 * slackMs, first.to), intervalMs: slackMs / 2, what: "alice's last_active_ago over GET", recorder: server.recorder },
      );
    });
  });
});
