/**
 * What the page reads off bench.json, in one place:
 * which steps measured anything, the harness's share of the CPU, and how each figure reads.
 */
import type { BenchStep, BenchTarget } from '../model.js';

/** A step that ran its measured phase (one the bench never reached has no duration: nothing to plot). */
export function measured(step: BenchStep): boolean {
  return step.durationMs > 0;
}

/** The harness's CPU as a share of the server's over the same step; null when the server's is unknown (a url target) or nil. */
export function harnessShare(step: BenchStep): number | null {
  return step.serverCpuSeconds !== null && step.serverCpuSeconds > 0 ? step.harnessCpuSeconds / step.serverCpuSeconds : null;
}

/** The largest harness share over a target's measured steps. */
export function worstHarnessShare(target: BenchTarget): number | null {
  const shares = target.steps.filter(measured).map(harnessShare).filter((s): s is number => s !== null);
  return shares.length ? Math.max(...shares) : null;
}

/** Milliseconds as a person reads them: "840 ms", "12.3 s". */
export function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

/** A figure with at most two decimals, "–" when unknown. */
export function num(value: number | null | undefined, decimals = 2): string {
  return value === null || value === undefined ? '–' : String(Number(value.toFixed(decimals)));
}

export function percent(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)}%`;
}
