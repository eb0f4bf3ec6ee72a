import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_WAIT_MS } from '../story/budget.js';
import { DENDRITE_TIMINGS } from '../targets/dendrite/timings.js';
import { SYNAPSE_TIMINGS } from '../targets/synapse/timings.js';
import { TUWUNEL_TIMINGS } from '../targets/tuwunel/timings.js';
import { SPEC_EXAMPLE_TIMINGS, completeTimings } from '../timings.js';
import { STORY_SET_UP_MS, expectedStoryMs } from './expected-story.js';

describe('the expected length of a run\'s longest story, from the declared timings', () => {
  // The reference runs (reports/reference/<target>/results.json, durationMs): within 10 % of each.
  it.each([
    ['synapse', SYNAPSE_TIMINGS, DEFAULT_MAX_WAIT_MS, 130_016],
    ['dendrite --slow', DENDRITE_TIMINGS, null, 639_295],
    ['tuwunel --slow', TUWUNEL_TIMINGS, null, 306_085],
  ] as const)('%s: near the reference run\'s length', (_name, timings, maxWaitMs, seenMs) => {
    const expected = expectedStoryMs(timings, maxWaitMs);
    expect(Math.abs(expected - seenMs) / seenMs).toBeLessThan(0.1);
  });

  it('leaves out a wait the budget skips: Dendrite\'s 5-minute timers without --slow', () => {
    expect(expectedStoryMs(DENDRITE_TIMINGS, DEFAULT_MAX_WAIT_MS)).toBe(STORY_SET_UP_MS);
  });

  it('leaves out a timer longer than any story may last (Dendrite\'s day-long sync-online timeout)', () => {
    expect(expectedStoryMs(DENDRITE_TIMINGS, null)).toBeLessThan(DENDRITE_TIMINGS.syncOnlineTimeoutMs);
  });

  it('watches until the latest a url target\'s periodic job may first run, its phase unknown', () => {
    const t = completeTimings({ idleTimeoutMs: 10_000, longestCycleMs: 60_000 });
    expect(expectedStoryMs(t, null)).toBe(2 * 60_000 + t.deliveryMs + t.slackMs + STORY_SET_UP_MS);
  });

  it('grows with the idle threshold', () => {
    const short = expectedStoryMs(SPEC_EXAMPLE_TIMINGS, null);
    expect(expectedStoryMs({ ...SPEC_EXAMPLE_TIMINGS, idleTimeoutMs: 2 * SPEC_EXAMPLE_TIMINGS.idleTimeoutMs }, null)).toBeGreaterThan(short);
  });
});
