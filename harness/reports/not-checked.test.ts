import { describe, expect, test } from 'vitest';
import { printSummary } from '../cli/summary.js';
import { gate } from '../results/gate.js';
import type { Results } from '../results/model.js';
import { labelRuns } from './compare-matrix.js';
import { renderCompareHtml } from './compare-html.js';
import { renderCompareMarkdown } from './compare-markdown.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { resultsSchemaErrors } from './results-schema.js';
import { gateHeadline, notCheckedNote, type ReportInput } from './report-input.js';
import { renderSummaryMarkdown } from './summary-md.js';
import { fixtureResults } from './test-fixture.js';

const SLOW_MESSAGE = 'slow: needs ~613 s; pass --slow';

/** A passing run under a 120 s budget: two MUST requirements not checked, one passed with a slow test skipped. */
function budgetedRun(): ReportInput {
  const results: Results = {
    ...fixtureResults(),
    maxWaitMs: 120_000,
    requirements: [
      {
        id: 'PRES-PUT-ROUNDTRIP', level: 'MUST', area: 'put', title: 'round trip', verdict: 'pass',
        tests: [{ name: 'round trip', verdict: 'pass', durationMs: 300 }],
      },
      {
        id: 'PRES-IDLE-AUTO', level: 'MUST', area: 'idle-timeout', title: 'idles', verdict: 'skip', notChecked: 'slow',
        tests: [{ name: 'quiet client', verdict: 'skip', durationMs: 900, message: SLOW_MESSAGE, skipReason: 'slow' }],
      },
      {
        id: 'PRES-IDLE-NOT-EARLY', level: 'MUST', area: 'idle-timeout', title: 'not early', verdict: 'skip', notChecked: 'slow',
        tests: [{ name: 'stays online', verdict: 'skip', durationMs: 800, message: SLOW_MESSAGE, skipReason: 'slow' }],
      },
      {
        id: 'PRES-IDLE-WAKE', level: 'MUST', area: 'idle-timeout', title: 'wakes', verdict: 'pass',
        tests: [
          { name: 'manual', verdict: 'pass', durationMs: 700 },
          { name: 'idled', verdict: 'skip', durationMs: 600, message: SLOW_MESSAGE, skipReason: 'slow' },
        ],
      },
      {
        id: 'PRES-CA-OFFERED', level: 'MAY', area: 'currently-active', title: 'offered', verdict: 'skip',
        tests: [{ name: 'offered', verdict: 'skip', durationMs: 0, message: 'not offered: ...' }],
      },
    ],
  };
  return { results, gate: gate(results.requirements, { failOn: 'must' }) };
}

const input = budgetedRun();
const NOTE = '2 MUST requirements were not checked because they are slow (over --max-wait 120 s; pass --slow): PRES-IDLE-AUTO, PRES-IDLE-NOT-EARLY; 1 more passed with slow tests skipped: PRES-IDLE-WAKE';

describe('a run whose budget left MUST requirements unchecked never looks like a full pass', () => {
  test('the gate passes (exit 0) but its headline and note count what was not checked', () => {
    expect(input.gate?.exitCode).toBe(0);
    expect(gateHeadline(input)).toEqual({ text: 'passed, 2 MUST requirements not checked (slow)', ok: true });
    expect(notCheckedNote(input)).toBe(NOTE);
  });

  test('results.json carries the budget and the marks, as its schema describes', () => {
    expect(resultsSchemaErrors(input.results)).toEqual([]);
    expect(resultsSchemaErrors({ ...input.results, maxWaitMs: null })).toEqual([]);
    const wrong = structuredClone(input.results);
    wrong.requirements[1]!.notChecked = 'bored' as never;
    expect(resultsSchemaErrors(wrong).join('\n')).toMatch(/notChecked/);
  });

  test('summary.md says so under the gate line', () => {
    const md = renderSummaryMarkdown(input);
    expect(md).toContain('**Gate: passed, 2 MUST requirements not checked (slow)**');
    expect(md).toContain('> **Not checked:** 2 MUST requirements were not checked because they are slow (over --max-wait 120 s; pass --slow): [PRES-IDLE-AUTO](');
  });

  test('report.html turns the gate banner from good to warn and marks the requirement', () => {
    const html = renderHtml(input, new Map());
    expect(html).toMatch(/<div class="banner warn" id="gate"><strong>Gate: passed, 2 MUST requirements not checked \(slow\)<\/strong>/);
    expect(html).toContain('<p id="not-checked">Not checked: 2 MUST requirements were not checked because they are slow');
    expect(html).toContain('<span class="badge skip">SKIP (slow)</span>');
  });

  test('junit.xml counts them per suite and marks each slow test', () => {
    const xml = renderJunit(input);
    expect(xml).toMatch(/<testsuite name="idle-timeout"[^>]*>\s*<properties>[\s\S]*?<property name="requirements.notChecked.slow" value="2"\/>/);
    expect(xml).toContain('<property name="skipReason" value="slow"/>');
    expect(xml).toContain(`<skipped message="${SLOW_MESSAGE}"/>`);
  });

  test('compare marks the cells and counts them per level', () => {
    const runs = labelRuns([{ file: 'a/results.json', results: input.results }]);
    const md = renderCompareMarkdown(runs);
    expect(md).toContain('| ⏭️ skip (slow) |');
    expect(md).toContain('| **MUST passed** | | 2/4 (2 skipped, 2 of them not checked: slow) |');
    expect(renderCompareHtml(runs)).toContain('<span class="badge skip">skip (slow)</span>');
  });

  test("the CLI's verdict lines say SLOW and its last line counts what was not checked", () => {
    const lines: string[] = [];
    printSummary({ results: input.results, gate: input.gate!, resultsPath: 'reports/x/results.json' }, (line) => lines.push(line));
    expect(lines).toContain('  SLOW MUST   PRES-IDLE-AUTO  slow: needs ~613 s; pass --slow');
    expect(lines).toContain('requirements: 2 pass, 0 fail, 0 error, 3 skip (2 of the skips not checked: slow)');
    expect(lines.at(-1)).toBe(`gate: passed, 2 MUST requirements not checked (slow); ${NOTE}`);
  });

  test('a run without a budget or anything unchecked says nothing of the kind', () => {
    const full = { results: { ...fixtureResults(), maxWaitMs: null }, gate: gate(fixtureResults().requirements, { failOn: 'must' }) };
    expect(notCheckedNote(full)).toBeUndefined();
    expect(renderSummaryMarkdown(full)).not.toContain('Not checked');
    const lines: string[] = [];
    printSummary({ ...full, resultsPath: 'r/results.json' }, (line) => lines.push(line));
    expect(lines.at(-1)).toBe('gate: FAILED (exit 1)');
  });
});
