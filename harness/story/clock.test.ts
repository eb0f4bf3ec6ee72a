import { describe, expect, it } from 'vitest';
import { eventually, sleep, throughout } from './clock.js';
import { Recorder } from './client/recorder.js';
import { ConformanceFailure } from './errors.js';

describe('eventually', () => {
  it('returns what accept returns once it holds', async () => {
    let n = 0;
    const got = await eventually(async () => ++n, (v) => (v >= 3 ? `saw ${v}` : undefined), { deadline: Date.now() + 2_000, what: 'three', intervalMs: 1 });
    expect(got).toBe('saw 3');
  });

  it('fails at the deadline with the last observed value, and notes it for the report', async () => {
    const recorder = new Recorder();
    const attempt = eventually(async () => ({ presence: 'online' }), () => false, { deadline: Date.now() + 150, what: 'alice unavailable', intervalMs: 20, recorder });
    await expect(attempt).rejects.toThrow(ConformanceFailure);
    await expect(eventually(async () => ({ presence: 'online' }), () => false, { deadline: Date.now() + 50, what: 'alice unavailable', intervalMs: 10 })).rejects.toThrow(
      /waiting for alice unavailable; last observed: \{"presence":"online"\}/,
    );
    expect(recorder.lastObserved).toEqual({ presence: 'online' });
  });

  it('probes at least once even with a deadline already passed', async () => {
    let probes = 0;
    await expect(eventually(async () => ++probes, () => false, { deadline: Date.now() - 1, what: 'x' })).rejects.toThrow();
    expect(probes).toBe(1);
  });
});

describe('throughout', () => {
  it('passes when nothing violates during the window', async () => {
    let probes = 0;
    await throughout(async () => ++probes, () => undefined, { until: Date.now() + 100, what: 'never', intervalMs: 10 });
    expect(probes).toBeGreaterThan(2);
  });

  it('fails on the first violation, naming it', async () => {
    await expect(throughout(async () => 'unavailable', (v) => (v === 'unavailable' ? `saw ${v}` : undefined), { until: Date.now() + 1_000, what: 'alice stays online' })).rejects.toThrow(
      'alice stays online: saw unavailable',
    );
  });
});

describe('sleep', () => {
  it('wakes early when its cancel signal fires, or at once when it already has', async () => {
    const stop = new AbortController();
    const started = Date.now();
    setTimeout(() => stop.abort(), 20);
    await sleep(10_000, stop.signal);
    await sleep(10_000, stop.signal);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
