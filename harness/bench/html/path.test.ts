import { describe, expect, it } from 'vitest';
import { linePath, px } from './path.js';

describe('line paths', () => {
  it('move to the first point, then draw to each next one, rounded to a tenth of a pixel', () => {
    expect(linePath([{ x: 0, y: 10 }, { x: 10.04, y: 5.06 }, { x: 20, y: 0 }])).toBe('M0,10L10,5.1L20,0');
    expect(px(1.25)).toBe('1.3');
  });

  it('break at a missing point instead of joining across it', () => {
    expect(linePath([{ x: 0, y: 1 }, { x: 1, y: 2 }, null, { x: 3, y: 4 }, { x: 4, y: 5 }])).toBe('M0,1L1,2M3,4L4,5');
    expect(linePath([null, { x: 1, y: 1 }])).toBe('M1,1');
    expect(linePath([])).toBe('');
  });
});
