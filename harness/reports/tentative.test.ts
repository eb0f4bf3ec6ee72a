import { describe, expect, test } from 'vitest';
import { printSummary } from '../cli/summary.js';
import { labelRuns } from './compare-matrix.js';
import { renderCompareHtml } from './compare-html.js';
import { renderCompareMarkdown } from './compare-markdown.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { resultsSchemaErrors } from './results-schema.js';
import { renderSummaryMarkdown } from './summary-md.js';
import { fixtureResults } from './test-fixture.js';
import { TENTATIVE_REASON, tentativeInput, tentativeResults } from './tentative-fixture.js';

// The fixture holds 4 stable requirements that fail or error (3 MUST) and 3 tentative ones: 1 fail, 1 pass, 1 error.
describe('tentative requirements in every report', () => {
  test('results.json: the area and the proposal are in the schema', () => {
    expect(resultsSchemaErrors(tentativeResults())).toEqual([]);
    const broken = tentativeResults();
    (broken.requirements.at(-1)!.tentative as { status: string }).status = 'rumoured';
    expect(resultsSchemaErrors(broken)[0]).toMatch(/tentative\/status must be equal to one of the allowed values/);
  });

  test('console: a list of their own with MSC and status after the stable ones, counted on their own line, not in the headline', () => {
    const lines: string[] = [];
    const input = tentativeInput();
    printSummary({ results: input.results, gate: input.gate! }, (l) => lines.push(l));
    const heading = lines.findIndex((l) => l.startsWith('tentative requirements: proposals (MSCs) not yet in the spec text'));
    expect(heading).toBeGreaterThan(lines.findIndex((l) => l.includes('PRES-SYNC-DEFAULT')));
    // Listed there only, each once.
    expect(lines.slice(0, heading).filter((l) => l.includes('PRES-TENT'))).toEqual([]);
    expect(lines.filter((l) => / PRES-TENT-SSS-DEFAULT /.test(l))).toHaveLength(1);
    expect(lines[heading + 1]).toMatch(/^ {2}FAIL MUST +PRES-TENT-SSS-DEFAULT MSC4186 \(merged\) {2}AssertionError/);
    expect(lines).toContain('requirements: 2 pass, 3 fail, 1 error, 2 skip');
    expect(lines).toContain('3 tentative (not gating): 1 pass, 1 fail, 1 error, 0 skip; MSC4186 (merged): 1 fail; MSC3026 (closed-but-shipped): 1 pass, 1 error');
    expect(lines.find((l) => l.startsWith('gating failures'))).not.toContain('PRES-TENT');
  });

  test('summary.md: a section with each one, its proposal and (for the listed failure) "expected failure, tentative"; counts and failure lists without them', () => {
    const md = renderSummaryMarkdown(tentativeInput());
    const section = md.slice(md.indexOf('### Tentative requirements (3)'));
    expect(md).toContain('### Tentative requirements (3)');
    expect(section).toContain('They are proposals (MSCs) not yet in the spec text, counted apart; they never gate unless `--fail-on tentative`. 3 tentative (not gating): 1 pass, 1 fail, 1 error, 0 skip; MSC4186 (merged): 1 fail; MSC3026 (closed-but-shipped): 1 pass, 1 error.');
    expect(section).toContain('[PRES-TENT-SSS-DEFAULT](https://github.com/matrix-org/matrix-spec-proposals/pull/4186) (MUST, MSC4186 (merged))');
    expect(section).toContain(`*(expected failure, tentative (MSC4186): ${TENTATIVE_REASON})*`);
    expect(section).toContain('[PRES-TENT-BUSY-SET](https://github.com/matrix-org/matrix-spec-proposals/pull/3026) (MUST, MSC3026 (closed-but-shipped))');
    const beforeSection = md.slice(0, md.indexOf('### Tentative requirements'));
    expect(beforeSection).not.toContain('PRES-TENT');
    expect(beforeSection).toMatch(/\| \*\*all\*\* \| 2 \| 3 \| 1 \| 2 \|/);
    expect(md).not.toMatch(/\| tentative \|/);
    expect(renderSummaryMarkdown(tentativeInput('tentative'))).toContain('3 tentative (gating: --fail-on tentative)');
  });

  test('junit.xml: a testsuite of their own with the proposal per test; the testsuites totals are the stable ones', () => {
    const xml = renderJunit(tentativeInput());
    const stableTests = fixtureResults().requirements.flatMap((r) => r.tests).length + 2;
    expect(xml).toMatch(new RegExp(`<testsuites [^>]* tests="${stableTests}" failures="3" errors="1"`));
    const suite = xml.slice(xml.indexOf('<testsuite name="tentative"'));
    expect(suite).toMatch(/^<testsuite name="tentative" tests="3" failures="1" errors="1" skipped="0"/);
    expect(suite).toContain('<property name="tentative.gating" value="not gating"/>');
    expect(renderJunit(tentativeInput('tentative'))).toContain('<property name="tentative.gating" value="gating: --fail-on tentative"/>');
    expect(suite).toContain('<property name="msc" value="MSC4186"/>');
    expect(suite).toContain('<property name="msc.status" value="closed-but-shipped"/>');
    expect(xml.slice(0, xml.indexOf('<testsuite name="tentative"'))).not.toContain('PRES-TENT');
  });

  test('report.html: a section of their own with the proposal badge and link, not in the counts table', () => {
    const html = renderHtml(tentativeInput(), new Map());
    const counts = html.slice(html.indexOf('<table id="counts">'), html.indexOf('</table>'));
    expect(counts).not.toContain('tentative');
    expect(counts).toContain('<th scope="row">all</th><td class="n">2</td><td class="n">3</td><td class="n">1</td><td class="n">2</td>');
    const section = html.slice(html.indexOf('<section class="area" id="area-tentative">'));
    expect(section).toContain('<h2>Tentative requirements</h2>');
    expect(section).toContain('3 tentative (not gating): 1 pass, 1 fail, 1 error, 0 skip');
    expect(section).toContain('<span class="badge level proposal">MSC4186 · merged</span>');
    expect(section).toContain('<a href="https://github.com/matrix-org/matrix-spec-proposals/pull/4186">proposal</a>');
    expect(section).toContain(`Expected failure, tentative (MSC4186): ${TENTATIVE_REASON}`);
    // Only the tentative section holds them: every area before it is stable.
    expect(html.slice(0, html.indexOf('<section class="area" id="area-tentative">'))).not.toMatch(/id="PRES-TENT/);
    expect(html.match(/id="area-tentative"/g)).toHaveLength(1);
    expect(html.match(/<article class="req" id="PRES-TENT-SSS-DEFAULT"/g)).toHaveLength(1);
  });

  test('compare: a table of their own with the proposal, and a total apart from the per-level ones', () => {
    const runs = labelRuns([{ file: 'a/results.json', results: tentativeResults() }, { file: 'b/results.json', results: fixtureResults() }]);
    const md = renderCompareMarkdown(runs);
    const [stable, tentative] = md.split('| Tentative requirement | Level | Proposal |');
    expect(stable).not.toContain('PRES-TENT');
    expect(stable).toContain('| **MUST passed** | | 2/6 (1 skipped) | 2/5 (1 skipped) |');
    expect(tentative).toContain('| [PRES-TENT-SSS-DEFAULT](https://github.com/matrix-org/matrix-spec-proposals/pull/4186) | MUST | MSC4186 (merged) | ❌ fail | — |');
    expect(tentative).toContain('| **tentative passed** | | | 1/3 | 0/0 |');
    const html = renderCompareHtml(runs);
    expect(html).toContain('<table id="tentative">');
    expect(html.slice(html.indexOf('<table id="matrix">'), html.indexOf('<table id="tentative">'))).not.toContain('PRES-TENT');
    // Without tentative rows, no table for them.
    expect(renderCompareMarkdown(labelRuns([{ file: 'b/results.json', results: fixtureResults() }]))).not.toContain('Tentative');
  });
});
