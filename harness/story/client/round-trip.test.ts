import { describe, expect, it } from 'vitest';
import { ROUND_TRIPS_PER_DELIVERY, RoundTripEstimate, typicalMs } from './round-trip.js';

describe('the round-trip estimate', () => {
  it('starts from the preflight and follows the 90th percentile of recent requests', () => {
    const estimate = new RoundTripEstimate();
    expect(estimate.current()).toEqual({ roundTripMs: 0, allowanceMs: 0, basis: 'measured by the preflight' });
    estimate.seed(40);
    for (const ms of [10, 12, 11]) estimate.observe(ms);
    expect(estimate.current()).toMatchObject({ roundTripMs: 40, allowanceMs: ROUND_TRIPS_PER_DELIVERY * 40 });

    for (const ms of [10, 20, 30, 40, 50, 60, 70]) estimate.observe(ms);
    // 10 samples: 10 10 11 12 20 30 40 50 60 70; the 90th percentile is 70.
    expect(estimate.current()).toEqual({ roundTripMs: 70, allowanceMs: ROUND_TRIPS_PER_DELIVERY * 70, basis: "p90 of this worker's last 10 requests" });
  });

  it('forgets requests older than the last 50, so a slow start does not stick', () => {
    const estimate = new RoundTripEstimate();
    for (let i = 0; i < 50; i++) estimate.observe(900);
    for (let i = 0; i < 50; i++) estimate.observe(8);
    expect(estimate.current().roundTripMs).toBe(8);
  });

  it('takes the 90th percentile of a handful of durations', () => {
    expect(typicalMs([])).toBe(0);
    expect(typicalMs([5, 3, 400, 4, 6])).toBe(400);
    expect(typicalMs(Array.from({ length: 100 }, (_, i) => i))).toBe(90);
  });
});
