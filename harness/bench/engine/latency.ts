import type { LatencyFigures } from '../model.js';

/**
 * The latency figures of a set of samples (ms): nearest-rank percentiles
 * (the smallest sample with at least p% of the samples at or below it), so
 * every figure is a latency that was really measured. No samples: all 0.
 */
export function latencyFigures(samples: readonly number[]): LatencyFigures {
  if (samples.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted[sorted.length - 1]! };
}
