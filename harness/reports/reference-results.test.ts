import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderReferenceTables, updateReferenceResults, USAGE } from './reference-results.js';

describe('npm run reference-results', () => {
  it('--help prints how to use it and runs nothing', async () => {
    const lines: string[] = [];
    expect(await updateReferenceResults(['--help'], (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([USAGE]);
  });

  it('the committed README.md and docs/results.md hold the tables the committed reference results give (nothing edited by hand)', async () => {
    const { servers, files } = await renderReferenceTables();
    expect(servers.length).toBeGreaterThan(2);
    expect(Object.keys(files).sort()).toEqual(['README.md', 'docs/results.md']);
    for (const [file, text] of Object.entries(files)) expect(await readFile(new URL(`../../${file}`, import.meta.url), 'utf8'), file).toBe(text);
  });
});
