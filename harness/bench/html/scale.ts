/**
 * Scales and ticks for the bench page's plots: pure arithmetic, so the
 * pictures can be unit-tested without a browser.
 */

/** Maps a value of the domain onto a pixel range (linear). */
export interface Scale {
  (value: number): number;
  domain: readonly [number, number];
  range: readonly [number, number];
}

/**
 * A linear scale. A zero-width domain (every value equal) maps to the middle
 * of the range instead of dividing by zero.
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const scale = ((v: number) => (d1 === d0 ? (r0 + r1) / 2 : r0 + ((v - d0) / (d1 - d0)) * (r1 - r0))) as Scale;
  scale.domain = domain;
  scale.range = range;
  return scale;
}

/**
 * A logarithmic scale (base 10), for user counts spanning decades
 * (10 … 500), where a linear axis would crowd the small steps together.
 * Both ends of the domain must be positive.
 */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  if (!(domain[0] > 0 && domain[1] > 0)) throw new RangeError(`a log scale needs a positive domain, got [${domain.join(', ')}]`);
  const inner = linearScale([Math.log10(domain[0]), Math.log10(domain[1])], range);
  const scale = ((v: number) => inner(Math.log10(v))) as Scale;
  scale.domain = domain;
  scale.range = range;
  return scale;
}

/** The tick spacing nearest `rough` among 1, 2, 5 × 10^k. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
  return nice * power;
}

/**
 * Round ticks covering [min, max] with about `count` intervals: the first
 * tick at or below min, the last at or above max, so the axis is never
 * shorter than the data. Floating-point noise is trimmed (0.30000000000000004
 * becomes 0.3).
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (max < min) [min, max] = [max, min];
  if (max === min) max = min === 0 ? 1 : min + Math.abs(min);
  const step = niceStep((max - min) / Math.max(1, count));
  const first = Math.floor(min / step + 1e-9) * step;
  const last = Math.ceil(max / step - 1e-9) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: number[] = [];
  for (let i = 0, v = first; v <= last + step / 2; i++, v = first + i * step) ticks.push(Number(v.toFixed(decimals)));
  return ticks;
}

/** A tick's label: integers as they are, others with just enough decimals, thousands as k. */
export function tickLabel(value: number): string {
  if (Math.abs(value) >= 10_000) return `${Number((value / 1000).toFixed(1))}k`;
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(3)));
}
