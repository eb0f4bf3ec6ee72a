/**
 * `--repeat`: a merged run whose verdicts changed between runs is marked
 * flaky in every report format, and gates on its worst verdict.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { printSummary } from '../cli/summary.js';
import { gate, type GateOutcome } from '../results/gate.js';
import { mergeRuns } from '../results/merge-runs.js';
import type { Results, RunRecord } from '../results/model.js';
import { renderCompareMarkdown } from './compare-markdown.js';
import { renderCompareHtml } from './compare-html.js';
import { renderJunit } from './junit.js';
import { labelRuns } from './compare-matrix.js';
import { REPORT_FILES, writeReportFolder } from './report-folder.js';
import { resultsSchemaErrors } from './results-schema.js';
import { FAILING_EVIDENCE, fixtureEvidence, fixtureResults } from './test-fixture.js';

/** The fixture run twice; in the second, PRES-FFC-PUT's failing test passes. */
function twoRuns(): RunRecord {
  return mergeRuns([{ results: fixtureResults(), evidence: fixtureEvidence() }, secondRunPassing()]);
}

/** The fixture run, but PRES-FFC-PUT's failing test passes. */
function secondRunPassing(): RunRecord {
  const second = { results: fixtureResults(), evidence: fixtureEvidence() };
  second.results.startedAt = '2026-01-02T03:05:00.000Z';
  const put = second.results.requirements.find((r) => r.id === 'PRES-FFC-PUT')!;
  put.verdict = 'pass';
  put.tests[0] = { ...put.tests[0]!, verdict: 'pass', message: undefined };
  second.evidence.get(FAILING_EVIDENCE)!.verdict = 'pass';
  return second;
}

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

let dir: string;
let results: Results;
let outcome: GateOutcome;
const read = (file: string) => readFile(path.join(dir, file), 'utf8');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pc-flaky-'));
  dirs.push(dir);
  const merged = twoRuns();
  outcome = gate(merged.results.requirements, { failOn: 'must' });
  results = (await writeReportFolder(dir, { ...merged, gate: outcome })).results;
});

describe('a flaky requirement in every report', () => {
  test('results.json: per-run verdicts, flaky marks, the failure kept, schema-valid, both runs\' evidence written', async () => {
    const written = JSON.parse(await read('results.json')) as Results;
    expect(resultsSchemaErrors(written)).toEqual([]);
    expect(written.repeat).toBe(2);
    const put = written.requirements.find((r) => r.id === 'PRES-FFC-PUT')!;
    expect(put).toMatchObject({ verdict: 'fail', flaky: true, runs: [{ run: 1, verdict: 'fail' }, { run: 2, verdict: 'pass' }] });
    expect(put.tests[0]).toMatchObject({ verdict: 'fail', flaky: true, evidence: 'evidence/PRES-FFC-PUT/put-free-for-chat-is-refused.run-1.json' });
    expect(written.requirements.filter((r) => r.flaky).map((r) => r.id)).toEqual(['PRES-FFC-PUT']);
    await expect(read('evidence/PRES-FFC-PUT/put-free-for-chat-is-refused.run-1.json')).resolves.toContain('"verdict": "fail"');
    await expect(read('evidence/PRES-FFC-PUT/put-free-for-chat-is-refused.run-2.json')).resolves.toContain('"verdict": "pass"');
  });

  test('the gate: a MUST that failed once fails the run, named flaky; expected as a known failure it is neither a regression nor an unexpected pass', () => {
    expect(outcome).toMatchObject({ exitCode: 1, flaky: ['PRES-FFC-PUT'] });
    expect(outcome.regressions).toContain('PRES-FFC-PUT');
    const expected = gate(results.requirements, { failOn: 'must', strictExpect: true, expectations: { server: 'x', expectedFailures: [{ id: 'PRES-FFC-PUT', reason: 'known' }, { id: 'PRES-IDLE-AUTO', reason: 'known' }] } });
    expect(expected.regressions).toEqual([]);
    expect(expected.unexpectedPasses).toEqual([]);
  });

  test('junit.xml: the failure stays a <failure>, its message says flaky, properties and system-out carry each run', async () => {
    const xml = await read(REPORT_FILES.junit);
    const testcase = xml.match(/<testcase classname="PRES-FFC-PUT" name="PUT free_for_chat is refused"[\s\S]*?<\/testcase>/)?.[0] ?? '';
    expect(testcase).toContain('<property name="flaky" value="true"/>');
    expect(testcase).toContain('<property name="runs" value="fail, pass"/>');
    expect(testcase).toMatch(/<failure message="flaky \(fail, pass\): AssertionError/);
    expect(testcase).toMatch(/<system-out>run 1: fail - AssertionError[^\n]*\nrun 2: pass \(evidence\/PRES-FFC-PUT\/put-free-for-chat-is-refused.run-2.json\)<\/system-out>/);
    expect(xml).toContain('<property name="repeat" value="2"/>');
    expect(xml).toMatch(/<testsuite name="free-for-chat"[\s\S]*?<property name="requirements.flaky" value="1"\/>/);
    // A steady test says nothing of flakiness.
    const steady = xml.match(/<testcase classname="PRES-FFC-PUT" name="online stays online"[\s\S]*?<\/testcase>/)?.[0] ?? '';
    expect(steady).toContain('<property name="runs" value="pass, pass"/>');
    expect(steady).not.toMatch(/flaky|system-out/);
  });

  test('junit.xml: each further failing run is a Surefire <rerunFailure>, never a <flakyFailure> (which consumers read as passed)', () => {
    // PRES-FFC-PUT's test: fail, pass, fail.
    const runs = mergeRuns([{ results: fixtureResults(), evidence: fixtureEvidence() }, secondRunPassing(), { results: fixtureResults(), evidence: fixtureEvidence() }]);
    const xml = renderJunit({ results: runs.results });
    const testcase = xml.match(/<testcase classname="PRES-FFC-PUT" name="PUT free_for_chat is refused"[\s\S]*?<\/testcase>/)?.[0] ?? '';
    expect(testcase.match(/<failure /g)).toHaveLength(1);
    expect(testcase).toMatch(/<rerunFailure message="run 3: AssertionError/);
    expect(testcase).not.toContain('flakyFailure');
    expect(xml).toMatch(/<testsuites [^>]*failures="2"/);
  });

  test('summary.md: a Flaky line with the verdict per run, the headline and the failure say so', async () => {
    const md = await read(REPORT_FILES.summary);
    expect(md).toContain('2 runs (--repeat)');
    expect(md).toMatch(/\*\*Gate: FAILED \(exit 1\), 1 MUST requirement flaky\*\*/);
    expect(md).toMatch(/> \*\*Flaky:\*\* 1 MUST requirement was flaky over 2 runs \(each keeps its worst verdict\): \[PRES-FFC-PUT\]\([^)]+\) \(fail, pass\)\./);
    expect(md).toMatch(/- ❌ \[PRES-FFC-PUT\][^\n]*\n[^\n]*\*\(flaky: fail, pass\)\*/);
  });

  test('report.html: FLAKY badges on the requirement and the test, every run listed with its evidence', async () => {
    const html = await read(REPORT_FILES.html);
    const article = html.match(/<article class="req" id="PRES-FFC-PUT"[\s\S]*?<\/article>/)?.[0] ?? '';
    expect(article).toContain('data-flaky="true"');
    expect(article).toContain('<span class="badge flaky" title="verdict changed between runs">FLAKY fail, pass</span>');
    expect(article).toContain('run 2: pass</span> <code>evidence/PRES-FFC-PUT/put-free-for-chat-is-refused.run-2.json</code>');
    expect(html).toMatch(/<p id="flaky">Flaky: 1 MUST requirement was flaky over 2 runs/);
    expect(html.match(/data-flaky="true"/g)).toHaveLength(2);
  });

  test('the console summary marks it and names it on a line of its own', () => {
    const lines: string[] = [];
    printSummary({ results, gate: outcome }, (line) => lines.push(line));
    expect(lines.find((l) => l.includes(' PRES-FFC-PUT'))).toMatch(/FAIL MUST {3}PRES-FFC-PUT FLAKY \(fail, pass\)/);
    expect(lines).toContain('flaky: 1 MUST requirement was flaky over 2 runs (each keeps its worst verdict): PRES-FFC-PUT (fail, pass)');
    expect(lines.at(-1)).toBe('gate: FAILED (exit 1), 1 MUST requirement flaky');
  });

  test('compare: the cell says flaky', () => {
    const runs = labelRuns([{ file: 'a', results }, { file: 'b', results: fixtureResults() }]);
    expect(renderCompareMarkdown(runs)).toMatch(/\| \[PRES-FFC-PUT\]\([^)]+\) \| MUST \| ❌ fail \(flaky\) \| ❌ fail \|/);
    expect(renderCompareHtml(runs)).toContain('<span class="badge fail">fail (flaky)</span>');
  });
});
