import { describe, expect, it } from 'vitest';
import { linearScale, logScale, niceStep, niceTicks, tickLabel } from './scale.js';

describe('scales', () => {
  it('a linear scale maps the domain onto the range, inverted ranges included (SVG y grows downwards)', () => {
    const y = linearScale([0, 100], [200, 0]);
    expect([y(0), y(50), y(100), y(125)]).toEqual([200, 100, 0, -50]);
  });

  it('a one-value domain maps to the middle rather than dividing by zero', () => {
    expect(linearScale([7, 7], [10, 30])(7)).toBe(20);
  });

  it('a log scale spaces decades evenly and refuses a domain that is not positive', () => {
    const x = logScale([10, 1000], [0, 200]);
    expect([x(10), x(100), x(1000)].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 100, 200]);
    expect(() => logScale([0, 10], [0, 1])).toThrow(RangeError);
  });
});

describe('ticks', () => {
  it('steps are 1, 2 or 5 times a power of ten', () => {
    expect([0.7, 1.4, 2.9, 3.6, 7, 8, 140, 0.03].map(niceStep)).toEqual([0.5, 1, 2, 5, 5, 10, 100, 0.02]);
    expect(niceStep(0)).toBe(1);
  });

  it('cover the data from a round value at or below the minimum to one at or above the maximum', () => {
    expect(niceTicks(0, 610)).toEqual([0, 100, 200, 300, 400, 500, 600, 700]);
    expect(niceTicks(0, 2900)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
    expect(niceTicks(3, 17, 5)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(niceTicks(0, 0.9)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('trim floating-point noise and survive an empty or reversed range', () => {
    expect(niceTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(10, 0, 2)).toEqual([0, 5, 10]);
  });

  it('labels read as numbers: integers as they are, thousands as k above 10,000', () => {
    expect([0, 250, 2500, 12_000, 0.2, 1 / 3].map(tickLabel)).toEqual(['0', '250', '2500', '12k', '0.2', '0.333']);
  });
});
