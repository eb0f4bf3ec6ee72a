import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MUTANTS } from './catalogue.js';

// docs/selfcheck.md's table of mutants restates what each violates: held here
// to the mutants' own `violates` (the one source), so the two cannot drift.
const DOC = readFileSync(new URL('../../../docs/selfcheck.md', import.meta.url), 'utf8');
const ROWS = new Map([...DOC.matchAll(/^\| ([a-z*-]+(?: \(\d+\))?) \| .* \| (PRES-[^|]*) \|$/gm)].map((m) => [m[1]!, m[2]!.split(', ')]));

describe("docs/selfcheck.md's table of mutants", () => {
  it("gives each non-federation mutant one row whose requirements are the mutant's `violates`, in order", () => {
    const local = MUTANTS.filter((m) => !m.needsPair);
    expect(local.length).toBeGreaterThan(10);
    for (const mutant of local) expect(ROWS.get(mutant.name), mutant.name).toEqual(mutant.violates);
  });

  it('sums up the federation mutants in one row that counts them, and names no mutant that does not exist', () => {
    const federation = MUTANTS.filter((m) => m.needsPair);
    expect(ROWS.has(`fed-* (${federation.length})`)).toBe(true);
    expect(federation.every((m) => m.name.startsWith('fed-') && m.violates.every((id) => id.startsWith('PRES-FED-')))).toBe(true);
    const names = new Set(MUTANTS.map((m) => m.name));
    for (const row of ROWS.keys()) if (!row.startsWith('fed-*')) expect(names.has(row), row).toBe(true);
  });
});
