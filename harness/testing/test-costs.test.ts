import { describe, expect, it } from 'vitest';
import { parseCosts, renderCostTable, replaceTable, TABLE_BEGIN, TABLE_END, type FileCost } from './test-costs.js';

const cost = (file: string, startSec: number, wallSec: number, cpuSec: number, tests = 1): FileCost => ({
  file, startedAt: new Date(Date.UTC(2026, 11, 5, 2, 0, startSec)).toISOString(), wallMs: wallSec * 1000, cpuMs: 1000, childrenCpuMs: cpuSec * 1000 - 1000, tests, load1: 3.25,
});

describe('the e2e cost table', () => {
  it('lists files slowest first, and closes with the run\'s wall (overlapping files counted once) and CPU', () => {
    const table = renderCostTable(parseCosts([cost('a.e2e.test.ts', 0, 100, 40, 2), cost('b.e2e.test.ts', 10, 200, 60, 3)].map((c) => JSON.stringify(c)).join('\n') + '\n'));
    const lines = table.split('\n');
    expect(lines[2]).toBe('| b.e2e.test.ts | 3 | 200 | 60 | 3.3 |');
    expect(lines[3]).toBe('| a.e2e.test.ts | 2 | 100 | 40 | 3.3 |');
    expect(lines.at(-1)).toBe('2 files, 5 tests: 210 s wall from the first file\'s start to the last one\'s end (the files\' own walls add up to 300 s), 100 CPU s.');
  });

  it('replaces only what is between the markers, and refuses a page without them', () => {
    const page = `# Costs\n\n${TABLE_BEGIN}\nold\n${TABLE_END}\n\nhand-written notes\n`;
    expect(replaceTable(page, 'new')).toBe(`# Costs\n\n${TABLE_BEGIN}\nnew\n${TABLE_END}\n\nhand-written notes\n`);
    expect(() => replaceTable('# no markers', 'new')).toThrow(/markers/);
  });
});
