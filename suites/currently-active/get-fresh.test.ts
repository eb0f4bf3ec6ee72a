import { expect } from 'vitest';
import { activeLongerThanWindow, BOT_CLIENT, connectClient, CURRENTLY_ACTIVE_NOT_OFFERED, given, requirement, seesCurrentlyActive, whileActive, type ClientKind } from '../../harness/story/index.js';

// Alice acts with a quick /sync before each message, as an app does; and as
// the bot, with messages alone after its one sync at start.
const ACTORS: Array<{ name: string; kind?: ClientKind }> = [{ name: 'an app that syncs as she acts' }, { name: BOT_CLIENT.name, kind: BOT_CLIENT }];

requirement('PRES-CA-GET-FRESH', ({ test }) => {
  test.for(ACTORS)('GET gives her up-to-date last active time while bob is told she is currently_active (alice: $name)', async ({ kind }, { server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    await bob.sync();
    if (kind) await connectClient(server, kind, alice);
    const syncs = kind?.habit !== 'once';
    const { update } = await seesCurrentlyActive(server, alice, bob, room, { syncs });
    if (!update) return skip(CURRENTLY_ACTIVE_NOT_OFFERED);
    const window = server.timings.activeWindowMs;

    // Alice keeps acting for more than a window, so bob's currently_active update is stale by then.
    const until = server.lasting(activeLongerThanWindow(server.timings));
    const { lastActivity } = await whileActive(server, alice, () => alice.sendMessage(room, server.message()), () =>
      bob.syncThroughout({ until, what: `${alice}'s presence while she is active` }),
    { syncs });

    // Then, still inside her currently_active window, bob asks twice, Δ apart
    // (long enough to tell a growing value from a frozen one, not a whole window).
    const delta = Math.min(Math.floor(window / 2), server.timings.deliveryMs + server.timings.slackMs);
    const t1 = Date.now();
    const first = await bob.getPresence(alice);
    const t1End = Date.now();
    await bob.syncThroughout({ until: server.lasting(delta, t1), what: `${alice}'s presence between two GETs` });
    const t2 = Date.now();
    const second = await bob.getPresence(alice);
    const t2End = Date.now();
    const evidence = `${first.evidence}\n${second.evidence}`;
    await given('PRES-VIS-SHARED-GET', 'bob, her roommate, may read her presence', async () => {
      expect([first.status, second.status], evidence).toEqual([200, 200]);
    });
    // "During suppression": bob's last update about her still says she is
    // currently active, and the server, asked, does not say she is not. A
    // server that does not count her messages as activity lets her window run
    // out, or idles her, meanwhile (with the bot, which has no syncs to keep
    // her active: tuwunel 1.4.6 idles her, Dendrite v0.13.8 answers
    // currently_active: false), and GET then rightly gives the last active
    // time of her one sync.
    const told = bob.receivedFrom(alice).at(-1)?.event.content;
    await given('PRES-LAA-PROACTIVE', 'bob was still told alice is currently_active when he read her presence, her messages keeping her active', async () => {
      expect(told?.presence === 'online' && told.currently_active === true, `bob's last update about her: ${JSON.stringify(told ?? null)}; ${evidence}`).toBe(true);
      expect(first.body.currently_active, `GET says she is not currently active; ${evidence}`).not.toBe(false);
    });

    const ago1 = first.body.last_active_ago;
    const ago2 = second.body.last_active_ago;
    expect(ago1, evidence).toBeTypeOf('number');
    expect(ago2, evidence).toBeTypeOf('number');
    // Up to date: it reflects her latest activity (to within one currently_active window), not the stale update.
    expect(t1End - ago1!, `GET's last active time vs her last message at ${lastActivity.startedAt}; ${evidence}`).toBeGreaterThanOrEqual(lastActivity.startedAt - window);
    // Kept up to date: Δ later it has grown by Δ.
    const allowance = Math.min(1_000, delta / 4);
    expect(ago2! - ago1!, `two GETs ${t2 - t1} ms apart; ${evidence}`).toBeGreaterThanOrEqual(t2 - t1End - allowance);
    expect(ago2! - ago1!, `two GETs ${t2 - t1} ms apart; ${evidence}`).toBeLessThanOrEqual(t2End - t1 + allowance);
  });
});
