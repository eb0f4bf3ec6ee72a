import { describe, expect, it } from 'vitest';
import { updateReferenceResults, USAGE } from './reference-results.js';

describe('npm run reference-results', () => {
  it('--help prints how to use it and runs nothing', async () => {
    const lines: string[] = [];
    expect(await updateReferenceResults(['--help'], (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([USAGE]);
  });
});
