import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAX_WAIT_MS, overBudget, slowSkipReason, StoryBudget, type SlowMeta } from './budget.js';
import type { TargetDescriptor } from './server-facts.js';
import { SYNAPSE_TIMINGS } from '../targets/synapse/timings.js';
import { TestServer } from './test-server.js';
import { completeTimings, SPEC_EXAMPLE_TIMINGS, type TargetTimings } from '../timings.js';

/** Dendrite v0.13.8's fixed timers: idle loop at boot and every 5 min, 5-minute threshold and window. */
const DENDRITE_LIKE: TargetTimings = { ...SPEC_EXAMPLE_TIMINGS, idleTimeoutMs: 300_000, checkIntervalMs: 300_000, firstCheckAfterMs: 0, activeWindowMs: 300_000 };

class Skipped extends Error {
  constructor(
    readonly slow: SlowMeta,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** A TestServer (never contacted) whose story started now, with a budget that throws `Skipped` where vitest would skip. */
function serverWith(timings: TargetTimings, maxWaitMs: number | null, startedAt = Date.now(), readyAt?: number): TestServer {
  const target: TargetDescriptor = {
    kind: 'url',
    baseUrl: 'http://127.0.0.1:9',
    serverName: 'budget.test',
    serverVersion: 'none',
    registration: { kind: 'open' },
    timings,
    startedAt,
    ...(readyAt !== undefined ? { readyAt } : {}),
    runPrefix: 'budget',
    seed: 1,
  };
  const budget = new StoryBudget(maxWaitMs, (slow, reason) => {
    throw new Skipped(slow, reason);
  });
  return new TestServer(target, 'budget test', budget);
}

function skipOf(action: () => unknown): Skipped | undefined {
  try {
    action();
  } catch (cause) {
    if (cause instanceof Skipped) return cause;
    throw cause;
  }
  return undefined;
}

describe('the budget decision', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('admits a wait that ends within the budget, to the millisecond', () => {
    expect(overBudget(10_000, 1_000, 11_000)).toBeUndefined();
    expect(overBudget(10_000, 1_000, 11_001)).toBe(10_001);
  });

  it('never skips without a limit (--slow)', () => {
    expect(overBudget(null, 0, Number.MAX_SAFE_INTEGER)).toBeUndefined();
  });

  it('says how long the story needs, to the second, and how to run it', () => {
    expect(slowSkipReason(612_600)).toBe('slow: needs ~613 s; pass --slow');
  });

  it('skips from admit with the meta the collector reads, and returns the deadline otherwise', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 100 });
    const skipped: SlowMeta[] = [];
    const budget = new StoryBudget(5_000, (slow, reason) => {
      skipped.push(slow);
      throw new Error(reason);
    });
    expect(budget.admit(5_100)).toBe(5_100);
    expect(() => budget.admit(5_101)).toThrow('slow: needs ~5 s; pass --slow');
    expect(skipped).toEqual([{ needsMs: 5_001, maxWaitMs: 5_000, afterMs: 0 }]);
  });

  it('judges each wait from when the story asks, whatever its set-up took (load must not change verdicts)', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 0 });
    const budget = new StoryBudget(10_000, (_slow, reason) => {
      throw new Error(reason);
    });
    vi.setSystemTime(60_000); // a minute of registration on a loaded machine
    expect(budget.admit(Date.now() + 7_000)).toBe(67_000);
  });
});

describe('TestServer deadlines under a budget', () => {
  it('skips a Dendrite-like idle story at its first timer deadline, with the time it would need', () => {
    const server = serverWith(DENDRITE_LIKE, DEFAULT_MAX_WAIT_MS);
    const skip = skipOf(() => server.afterTimer(Date.now(), DENDRITE_LIKE.idleTimeoutMs));
    // idle threshold + one whole check interval + slack + delivery: 300 + 300 + 3 + 10 s.
    expect(skip?.reason).toBe('slow: needs ~613 s; pass --slow');
    expect(skip?.slow.maxWaitMs).toBe(DEFAULT_MAX_WAIT_MS);
  });

  it('judges the very deadline the story then waits for (one formula, no second estimate)', () => {
    const unlimited = serverWith(DENDRITE_LIKE, null);
    const lastActivityAt = Date.now();
    const deadline = unlimited.afterTimer(lastActivityAt, DENDRITE_LIKE.idleTimeoutMs);
    const justEnough = serverWith(DENDRITE_LIKE, deadline - Date.now() + 1_000);
    expect(justEnough.afterTimer(lastActivityAt, DENDRITE_LIKE.idleTimeoutMs)).toBe(deadline);
    const justShort = serverWith(DENDRITE_LIKE, deadline - Date.now() - 1_000);
    expect(skipOf(() => justShort.afterTimer(lastActivityAt, DENDRITE_LIKE.idleTimeoutMs))).toBeInstanceOf(Skipped);
  });

  it('skips in timersRunningFor before waiting for a distant first check, counting that wait', async () => {
    // Synapse-like: first check 30 s after boot, which was just now.
    const server = serverWith(SYNAPSE_TIMINGS, 10_000);
    const started = Date.now();
    await expect(server.timersRunningFor(SYNAPSE_TIMINGS.idleTimeoutMs, 1_000)).rejects.toBeInstanceOf(Skipped);
    expect(Date.now() - started).toBeLessThan(1_000);
    const skip = await server.timersRunningFor(SYNAPSE_TIMINGS.idleTimeoutMs, 1_000).catch((cause: Skipped) => cause);
    // From the first check at 30 s: 16 s threshold + 5 s interval + 2 s slack + 5 s delivery.
    expect(skip).toMatchObject({ reason: 'slow: needs ~58 s; pass --slow' });
  });

  it('with --max-wait 10000 against the embedded Synapse: delivery waits run, timer waits are slow', () => {
    const server = serverWith(SYNAPSE_TIMINGS, 10_000, Date.now() - 60_000);
    expect(server.soon()).toBeGreaterThan(Date.now());
    expect(skipOf(() => server.afterTimer(Date.now(), SYNAPSE_TIMINGS.activeWindowMs))).toBeInstanceOf(Skipped);
    expect(skipOf(() => server.afterTimer(Date.now(), SYNAPSE_TIMINGS.idleTimeoutMs))).toBeInstanceOf(Skipped);
  });

  it('admits phases of a story through lasting(), counted from the story start', () => {
    const server = serverWith(DENDRITE_LIKE, 60_000);
    expect(server.lasting(30_000)).toBeGreaterThan(Date.now());
    expect(skipOf(() => server.lasting(DENDRITE_LIKE.activeWindowMs))?.reason).toBe('slow: needs ~300 s; pass --slow');
  });
});

describe('a watch that something never happens spans the server\'s longest periodic job', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const boot = Date.UTC(2026, 10, 26, 12, 0, 0);
  const { deliveryMs, slackMs } = SYNAPSE_TIMINGS;

  it('on a fresh Synapse, lasts until its first presence persistence (2 min after boot) is delivered', () => {
    vi.useFakeTimers({ now: boot + 10_000 });
    const server = serverWith(SYNAPSE_TIMINGS, DEFAULT_MAX_WAIT_MS, boot);
    expect(server.acrossCycles()).toBe(boot + 120_000 + deliveryMs + slackMs);
  });

  it('later, lasts until the next minute mark of that job, not a whole minute from now', () => {
    vi.useFakeTimers({ now: boot + 130_000 });
    expect(serverWith(SYNAPSE_TIMINGS, DEFAULT_MAX_WAIT_MS, boot).acrossCycles()).toBe(boot + 180_000 + deliveryMs + slackMs);
    vi.setSystemTime(boot + 180_000);
    expect(serverWith(SYNAPSE_TIMINGS, DEFAULT_MAX_WAIT_MS, boot).acrossCycles()).toBe(boot + 180_000 + deliveryMs + slackMs);
  });

  // Seen under load: the spawn at 17:42:22, "now listening" at 17:42:29.5, the first persistence
  // at 17:44:29.5; a watch counted from the spawn ended 30 ms after it, before its re-sends arrived.
  it('allows for a boot that took seconds: the job may run as late as that after the spawn-based phase', () => {
    vi.useFakeTimers({ now: boot + 10_000 });
    expect(serverWith(SYNAPSE_TIMINGS, DEFAULT_MAX_WAIT_MS, boot, boot + 7_500).acrossCycles()).toBe(boot + 127_500 + deliveryMs + slackMs);
    // Later on, the spawn-based run at or after now, then the boot's span: never a run already past.
    vi.setSystemTime(boot + 176_000);
    expect(serverWith(SYNAPSE_TIMINGS, DEFAULT_MAX_WAIT_MS, boot, boot + 7_500).acrossCycles()).toBe(boot + 187_500 + deliveryMs + slackMs);
  });

  it('lasts a whole cycle from now when the phase is unknown (a url target), and never less than asked', () => {
    const url: TargetTimings = { ...SPEC_EXAMPLE_TIMINGS, longestCycleMs: 20_000 };
    vi.useFakeTimers({ now: boot + 7_000 });
    const server = serverWith(url, null, boot);
    expect(server.acrossCycles()).toBe(boot + 7_000 + 20_000 + url.deliveryMs + url.slackMs);
    expect(server.acrossCycles(60_000)).toBe(boot + 67_000);
  });

  // A url target with Synapse's flags but not its phase: the run may start
  // seconds after the server booted (a CI job) or hours after.
  const synapseByUrl = completeTimings({ ...SYNAPSE_TIMINGS, firstCycleAfterMs: undefined });

  it('by default, where the phase is unknown, lasts until two cycles after the run started: a fresh server\'s first run', () => {
    expect(synapseByUrl.firstCycleByMs).toBe(120_000);
    vi.useFakeTimers({ now: boot + 7_000 });
    expect(serverWith(synapseByUrl, DEFAULT_MAX_WAIT_MS, boot).acrossCycles()).toBe(boot + 120_000 + deliveryMs + slackMs);
  });

  it('after that bound, a whole cycle from wherever the watch starts (the phase stays unknown)', () => {
    vi.useFakeTimers({ now: boot + 130_000 });
    expect(serverWith(synapseByUrl, DEFAULT_MAX_WAIT_MS, boot).acrossCycles()).toBe(boot + 190_000 + deliveryMs + slackMs);
  });

  it('with --first-cycle-by 0 (a server up for long), a whole cycle from the first second', () => {
    const old = completeTimings(synapseByUrl, { firstCycleByMs: 0 });
    vi.useFakeTimers({ now: boot + 7_000 });
    expect(serverWith(old, DEFAULT_MAX_WAIT_MS, boot).acrossCycles()).toBe(boot + 67_000 + deliveryMs + slackMs);
  });

  it('fits the default budget from the first seconds of a fresh Synapse, which 120 s did not', () => {
    vi.useFakeTimers({ now: boot + 3_000 });
    expect(skipOf(() => serverWith(SYNAPSE_TIMINGS, DEFAULT_MAX_WAIT_MS, boot).acrossCycles())).toBeUndefined();
    expect(skipOf(() => serverWith(SYNAPSE_TIMINGS, 120_000, boot).acrossCycles())?.slow.needsMs).toBe(124_000);
  });
});
