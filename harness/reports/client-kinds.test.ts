import { describe, expect, test } from 'vitest';
import { aggregate } from '../results/aggregate.js';
import type { CollectedTest, TestResult } from '../results/model.js';
import { kindsDiffer, kindsLine, verdictsByKind } from './client-kinds.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { collectEvidence } from './report-folder.js';
import { resultsSchemaErrors } from './results-schema.js';
import { renderSummaryMarkdown } from './summary-md.js';
import { tentativeInput, tentativeResults } from './tentative-fixture.js';

const t = (clientKind: string | undefined, verdict: TestResult['verdict']): TestResult => ({ name: `${clientKind}`, verdict, durationMs: 1, ...(clientKind ? { clientKind } : {}) });

describe('verdicts per client kind', () => {
  test('each kind gets the combined verdict of its tests; tests without a kind count for none', () => {
    const tests = [t('fresh', 'pass'), t('bot', 'pass'), t('bot', 'fail'), t('background', 'error'), t(undefined, 'fail')];
    expect(verdictsByKind({ tests })).toEqual([
      { kind: 'fresh', verdict: 'pass' },
      { kind: 'bot', verdict: 'fail' },
      { kind: 'background', verdict: 'error' },
    ]);
    expect(kindsDiffer({ tests })).toBe(true);
    expect(kindsLine({ tests })).toBe('fail with bot; error with background; pass with fresh');
    expect(kindsDiffer({ tests: [t('fresh', 'fail'), t('bot', 'fail'), t(undefined, 'pass')] })).toBe(false);
    expect(verdictsByKind({ tests: [t(undefined, 'pass')] })).toEqual([]);
    // A kind whose story did not apply checked nothing: no difference.
    expect(kindsDiffer({ tests: [t('fresh', 'pass'), t('two-devices', 'skip')] })).toBe(false);
  });

  test('the kind a story noted reaches results.json (each test) and its evidence file', () => {
    const collected: CollectedTest = {
      requirementId: 'PRES-SYNC-DEFAULT', name: 'online (alice: a bot)', fullName: 'PRES-SYNC-DEFAULT > online (alice: a bot)', verdict: 'fail', durationMs: 3,
      evidence: { exchanges: [], violations: [], clientKind: 'bot' },
    };
    const [result] = aggregate([collected], ['PRES-SYNC-DEFAULT'], () => 'evidence/PRES-SYNC-DEFAULT/x.json', 'not run');
    expect(result!.tests[0]!.clientKind).toBe('bot');
    expect([...collectEvidence([collected]).values()][0]!.clientKind).toBe('bot');
    const withoutKind = aggregate([{ ...collected, evidence: { exchanges: [], violations: [] } }], ['PRES-SYNC-DEFAULT'], () => undefined, 'not run');
    expect(withoutKind[0]!.tests[0]).not.toHaveProperty('clientKind');
  });

  test('results.json takes a kebab-case kind on a test, nothing else', () => {
    expect(resultsSchemaErrors(tentativeResults())).toEqual([]);
    const broken = tentativeResults();
    broken.requirements.find((r) => r.id === 'PRES-SYNC-DEFAULT')!.tests[0]!.clientKind = 'Fresh Client';
    expect(resultsSchemaErrors(broken)[0]).toMatch(/clientKind must match pattern/);
  });

  test('report.html shows each kind\'s verdict on the requirement and each test\'s kind; summary.md lists only requirements whose kinds differ', () => {
    const html = renderHtml(tentativeInput(), new Map());
    const article = html.slice(html.indexOf('<article class="req" id="PRES-SYNC-DEFAULT"'), html.indexOf('</article>', html.indexOf('id="PRES-SYNC-DEFAULT"')));
    expect(article).toContain('<p class="kinds">By client kind: <span class="badge pass" data-kind="fresh">fresh: pass</span> <span class="badge fail" data-kind="synced-first">synced-first: fail</span></p>');
    expect(article).toContain('<span class="badge level kind">synced-first</span> online by /sync (alice: synced first)');
    // A requirement whose tests named no kind has no such line.
    const other = html.slice(html.indexOf('id="PRES-FFC-PUT"'), html.indexOf('</article>', html.indexOf('id="PRES-FFC-PUT"')));
    expect(other).not.toContain('By client kind');

    const md = renderSummaryMarkdown(tentativeInput());
    const section = md.slice(md.indexOf('### Verdicts that differ by client kind (1)'));
    expect(section).toMatch(/^### Verdicts that differ by client kind \(1\)\n\n- \[PRES-SYNC-DEFAULT\]\([^)]+\): fail with synced-first; pass with fresh\n/);
    // PRES-TENT-SSS-DEFAULT ran one kind only: nothing differs.
    expect(section).not.toContain('PRES-TENT-SSS-DEFAULT');
    expect(renderJunit(tentativeInput())).toContain('<property name="clientKind" value="synced-first"/>');
  });
});
