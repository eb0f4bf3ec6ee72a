import { describe, expect, it } from 'vitest';
import type { TestCase } from 'vitest/node';
import type { Exchange } from './client/recorder.js';
import { Recorder } from './client/recorder.js';
import { eventually, throughout } from './clock.js';
import { SYNAPSE_TIMINGS } from '../targets/synapse/timings.js';
import { ResultCollector } from '../runner/collector.js';
import { describeStop, SETUP_ALLOWANCE_MS, storyTimeLimitMs, timedOutAfterMs, timerStoryMs } from './story-limit.js';

// Vitest's own message (@vitest/runner makeTimeoutError), as a story stopped by its limit ends.
const VITEST_TIMEOUT_MESSAGE = 'Test timed out in 954000ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".';

describe("a story's time limit", () => {
  it('allows for the timers, the first periodic run and a set-up allowance the timings do not bound', () => {
    // Synapse: first run at 120 s, 3 x (16 + 5 + 5 + 2) s, a 60 s cycle, a minute of requests.
    expect(timerStoryMs(SYNAPSE_TIMINGS)).toBe(120_000 + 84_000 + 60_000 + 60_000);
    expect(storyTimeLimitMs(SYNAPSE_TIMINGS)).toBe(timerStoryMs(SYNAPSE_TIMINGS) + SETUP_ALLOWANCE_MS);
    // The limit that stopped PRES-VIS-LEAVE under load (174 s, from the timers alone) is far below it.
    expect(storyTimeLimitMs(SYNAPSE_TIMINGS)).toBeGreaterThan(174_000 + 10 * 60_000);
  });

  it("recognises vitest's timeout error and the limit it names", () => {
    expect(timedOutAfterMs(VITEST_TIMEOUT_MESSAGE)).toBe(954_000);
    expect(timedOutAfterMs('Hook timed out in 5000ms.')).toBe(5_000);
    expect(timedOutAfterMs('timed out after 13000 ms (9 probes) waiting for bob to see alice online')).toBeUndefined();
    expect(timedOutAfterMs(undefined)).toBeUndefined();
  });

  it('says in one line what the stopped story was waiting for: its innermost pending wait', async () => {
    const recorder = new Recorder();
    const now = Date.now();
    let stop = false;
    const outer = throughout(async () => 0, () => (stop ? 'stopped' : undefined), { until: now + 60_000, what: "bob watching alice's presence", recorder, intervalMs: 20 });
    const inner = eventually(async () => 0, () => stop, { deadline: now + 30_000, what: 'bob to see alice online', recorder, intervalMs: 20 });
    expect(recorder.pendingWaits.map((w) => w.what)).toEqual(["bob watching alice's presence (a watch)", 'bob to see alice online']);
    const line = describeStop(954_000, recorder.pendingWaits, recorder.exchanges, now + 10_000);
    expect(line).toBe("stopped by the harness's time limit for a story (954 s), not a verdict on the server: waiting for bob to see alice online (for 10 s, its deadline 20 s ahead)");
    expect(line).not.toContain('\n');
    stop = true;
    await expect(outer).rejects.toThrow('stopped');
    await expect(inner).resolves.toBe(true);
    // Waits that ended, however they ended, are no longer pending.
    expect(recorder.pendingWaits).toEqual([]);
  });

  it('names the last request when no wait is pending', () => {
    const exchange: Exchange = { seq: 7, actor: 'bob', method: 'POST', path: '/_matrix/client/v3/join/!r:x?via=x', status: 200, startedAt: new Date(1_000).toISOString(), durationMs: 500, setup: true };
    expect(describeStop(60_000, [], [exchange], 4_500)).toBe(
      "stopped by the harness's time limit for a story (60 s), not a verdict on the server: not in a wait; its last answered request #7 bob POST /_matrix/client/v3/join/!r:x -> 200 (a set-up step), 3 s before",
    );
    expect(describeStop(60_000, [], [], 4_500)).toMatch(/in its set-up, before any request was answered$/);
  });
});

describe('the collector, for a story stopped by its time limit', () => {
  function stoppedCase(stopped: string | undefined, message = VITEST_TIMEOUT_MESSAGE): TestCase {
    return {
      id: 't1',
      name: 'a story',
      fullName: 'PRES-VIS-LEAVE: ... > a story',
      meta: () => ({ requirementId: 'PRES-VIS-LEAVE', level: 'MUST', ...(stopped ? { stopped } : {}) }),
      result: () => ({ state: 'failed', errors: [{ name: 'Error', message }] }),
      diagnostic: () => ({ startTime: 0, duration: 954_000 }),
    } as unknown as TestCase;
  }

  it('records an error with the one line, not the timeout text', () => {
    const collector = new ResultCollector();
    const line = "stopped by the harness's time limit for a story (954 s), not a verdict on the server: waiting for bob to see alice online (for 10 s, its deadline 20 s ahead)";
    collector.onTestCaseResult(stoppedCase(line));
    expect(collector.tests[0]).toMatchObject({ verdict: 'error', message: line });
    expect(collector.tests[0]!.inconclusive).toBeUndefined();
  });

  it('keeps other failures as they were', () => {
    const collector = new ResultCollector();
    collector.onTestCaseResult(stoppedCase('ignored', 'timed out after 13000 ms waiting for bob'));
    expect(collector.tests[0]).toMatchObject({ verdict: 'error', message: 'Error: timed out after 13000 ms waiting for bob' });
  });
});
