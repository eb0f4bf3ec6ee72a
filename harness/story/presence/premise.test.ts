import { describe, expect, it } from 'vitest';
import { Inconclusive } from '../errors.js';
import { SYNAPSE_TIMINGS } from '../../targets/synapse/timings.js';
import { endingTimers, premiseLapsed, unlessTimerEnded } from './premise.js';

// The embedded Synapse: 16 s idle timeout, 45 s sync-online timeout.
const T = SYNAPSE_TIMINGS;

describe("a story's premise about a state", () => {
  it('names the declared timers that end each state on its own, earliest first', () => {
    expect(endingTimers({ state: 'online', syncing: false }, T).map((t) => [t.timer, t.to])).toEqual([
      ['idle timeout', 'unavailable'],
      ['sync-online timeout', 'offline'],
    ]);
    expect(endingTimers({ state: 'online', syncing: true }, T).map((t) => t.timer)).toEqual(['idle timeout']);
    expect(endingTimers({ state: 'unavailable', syncing: false }, T).map((t) => [t.timer, t.ms])).toEqual([['sync-online timeout', 45_000]]);
    expect(endingTimers({ state: 'unavailable', syncing: true }, T)).toEqual([]);
    expect(endingTimers({ state: 'offline', syncing: false }, T)).toEqual([]);
  });

  it('lapses only once a timer could have fired', () => {
    const premise = { state: 'unavailable' as const, since: 1_000, syncing: false };
    expect(premiseLapsed(premise, T, 1_000 + 44_999)).toBeUndefined();
    expect(premiseLapsed(premise, T, 1_000 + 45_000)).toBe('45000 ms after she was unavailable, the declared sync-online timeout (45000 ms) may have made her offline');
    expect(premiseLapsed({ ...premise, state: 'online' }, T, 1_000 + 16_000)).toMatch(/idle timeout \(16000 ms\) may have made her unavailable$/);
  });

  it('makes a judgement that saw another state inconclusive only when a timer explains it', () => {
    const premise = { state: 'unavailable' as const, since: 0, syncing: false };
    // The premise still stood: the caller judges what it saw (a failure).
    expect(() => unlessTimerEnded(premise, T, 'offline', 44_000)).not.toThrow();
    // What was seen is the premise: nothing to explain.
    expect(() => unlessTimerEnded(premise, T, 'unavailable', 60_000)).not.toThrow();
    // The sync-online timeout may have made her offline by then: not the server's fault.
    expect(() => unlessTimerEnded(premise, T, 'offline', 58_000, '[#4 alice] GET ...')).toThrow(Inconclusive);
    expect(() => unlessTimerEnded(premise, T, 'offline', 58_000)).toThrow(/^inconclusive: the story's premise \(she is unavailable\) may have lapsed before it was judged: 58000 ms after/);
  });
});
