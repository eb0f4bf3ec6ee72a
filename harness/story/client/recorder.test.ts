import { expect, test } from 'vitest';
import { collectedTest } from '../../results/collected-test.fixture.js';
import { collectEvidence } from '../../reports/report-folder.js';
import { eventually, throughout } from '../clock.js';
import { Recorder } from './recorder.js';

test("the recorder keeps every wait (what, since, deadline, when it ended) and when it last observed: a story's timeline draws them", async () => {
  const recorder = new Recorder();
  const before = Date.now();
  let probes = 0;
  await eventually(async () => ++probes, (n) => n >= 2, { what: 'two probes', deadline: before + 5_000, intervalMs: 1, recorder });
  await expect(throughout(async () => 'online', (v) => (v === 'online' ? 'seen online' : undefined), { what: 'never online', until: Date.now() + 5_000, recorder })).rejects.toThrow('never online: seen online');
  const after = Date.now();

  expect(recorder.waitLog.map((w) => w.what)).toEqual(['two probes', 'never online (a watch)']);
  const [first, second] = recorder.waitLog;
  expect(first!.deadline).toBe(before + 5_000);
  for (const w of recorder.waitLog) {
    expect(w.since).toBeGreaterThanOrEqual(before);
    expect(w.endedAt).toBeGreaterThanOrEqual(w.since);
    expect(w.endedAt).toBeLessThanOrEqual(after);
  }
  expect(second!.since).toBeGreaterThanOrEqual(first!.endedAt!);
  expect(recorder.pendingWaits).toEqual([]);
  expect(recorder.lastObserved).toBe('online');
  expect(recorder.lastObservedAt).toBeGreaterThanOrEqual(second!.since);

  // ... and they reach the evidence file.
  const evidence = { exchanges: [], violations: [], lastObserved: recorder.lastObserved, lastObservedAt: recorder.lastObservedAt, waits: recorder.waitLog };
  const [file] = [...collectEvidence([collectedTest('PRES-IDLE-AUTO', { verdict: 'fail', evidence })]).values()];
  expect(file).toMatchObject({ lastObservedAt: recorder.lastObservedAt, waits: recorder.waitLog });
});
