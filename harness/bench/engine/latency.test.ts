import { describe, expect, it } from 'vitest';
import { latencyFigures } from './latency.js';

describe('latency figures', () => {
  it('are nearest-rank percentiles: measured values, whatever the order of the samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 .. 1, reversed
    expect(latencyFigures(samples)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('take the sample at or above each rank on small sets', () => {
    expect(latencyFigures([30, 10, 20])).toEqual({ count: 3, p50: 20, p95: 30, p99: 30, max: 30 });
    expect(latencyFigures([5])).toEqual({ count: 1, p50: 5, p95: 5, p99: 5, max: 5 });
  });

  it('are all zero with no samples', () => {
    expect(latencyFigures([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
