import { describe, expect, test } from 'vitest';
import { labelRuns } from './compare-matrix.js';
import { renderCompactReferenceSection } from './readme-compact-table.js';
import { README_MARKERS, renderReferenceSection, replaceReferenceSection } from './readme-table.js';
import { fixtureResults } from './test-fixture.js';

const { start, end } = README_MARKERS;

describe('README reference results', () => {
  const section = renderReferenceSection(labelRuns([{ file: 'reports/reference/fixture/results.json', results: fixtureResults() }]), ['reports/reference/fixture']);

  test('the section is the compare matrix plus links to each server\'s reports', () => {
    expect(section).toContain('| Requirement | Level | Fixture');
    expect(section).toContain('| [PRES-FFC-PUT](https://spec.matrix.org/v1.16/client-server-api/#put_matrixclientv3presenceuseridstatus) | MUST | ❌ fail |');
    expect(section).toMatch(/\]\(reports\/reference\/fixture\/summary\.md\) \(\[HTML report\]\(reports\/reference\/fixture\/report\.html\)\)\.$/);
  });

  test("the README's compact section: a column per target, icons, each spec URL defined once as a reference link, a link to the full table", () => {
    const runs = labelRuns([
      { file: 'a/results.json', results: fixtureResults() },
      { file: 'b/results.json', results: fixtureResults() },
    ]);
    const compact = renderCompactReferenceSection(runs, 'docs/results.md');
    const kind = fixtureResults().target.kind;
    expect(compact).toContain(`| Requirement | Level | \`${kind}\` | \`${kind}\` |`);
    expect(compact).toMatch(/^\| \[PRES-FFC-PUT\]\[(\d+)\] \| MUST \| ❌ \| ❌ \|$/m);
    const ref = /^\| \[PRES-FFC-PUT\]\[(\d+)\]/m.exec(compact)![1];
    expect(compact).toContain(`\n[${ref}]: https://spec.matrix.org/v1.16/client-server-api/#put_matrixclientv3presenceuseridstatus`);
    const definitions = [...compact.matchAll(/^\[\d+\]: (\S+)$/gm)].map((m) => m[1]);
    expect(new Set(definitions).size).toBe(definitions.length);
    expect(compact).toContain('[docs/results.md](docs/results.md)');
    // Smaller than the full one, for the same runs: what lets the README stay under 12 KB.
    expect(compact.length).toBeLessThan(renderReferenceSection(runs, ['a', 'b']).length * 0.7);
  });

  test('replaces only what lies between the markers, and is idempotent', () => {
    const readme = `# Title\n\nIntro.\n\n${start}\nold table\n${end}\n\n## Later section\n`;
    const once = replaceReferenceSection(readme, section);
    expect(once).toBe(`# Title\n\nIntro.\n\n${start}\n${section}\n${end}\n\n## Later section\n`);
    expect(replaceReferenceSection(once, section)).toBe(once);
  });

  test('adds the section when the README has no markers, and writes a stub when there is no README', () => {
    expect(replaceReferenceSection('# Title\n\nIntro.\n', 'T')).toBe(`# Title\n\nIntro.\n\n## Results against real servers\n\n${start}\nT\n${end}\n`);
    expect(replaceReferenceSection(undefined, 'T')).toContain(`## Results against real servers\n\n${start}\nT\n${end}\n`);
  });
});
