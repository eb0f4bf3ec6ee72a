import type { RequirementResult, TestResult, TestRun } from '../results/model.js';
import { escapeXml, escapeXmlContent, oneLine } from './escape.js';
import { byArea, catalogueEntry, countVerdicts, runVerdicts, type ReportInput } from './report-input.js';
import { proposalOf, splitTentative, tentativeGating } from './tentative.js';
import { isTentative } from '../results/tentative.js';

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * Renders `junit.xml`: one `<testsuite>` per area, one `<testcase>` per test
 * (classname = requirement ID) carrying the requirement ID, level and spec
 * link as `<properties>`. Failing tests carry their message in `<failure>`,
 * harness errors in `<error>`, skipped tests a `<skipped message>`.
 *
 * With `--repeat`, a test whose verdict changed between runs keeps its worst
 * verdict's element (a failure seen once stays a `<failure>`, so CI counts it)
 * with its message prefixed `flaky (fail, pass): `; it carries the properties
 * `flaky` and `runs`, one line per run in `<system-out>`, and, as Maven
 * Surefire writes for reruns, a `<rerunFailure>`/`<rerunError>` for each
 * further failing run. Surefire's own `<flakyFailure>` is not used: its
 * consumers read a test carrying only that as passed, which would hide a
 * failure that occurred.
 *
 * The tentative requirements (PRES-TENT-*) are the `<testsuite name="tentative">`,
 * with the property `tentative.gating` and, per test, `msc` and `msc.status`;
 * the `<testsuites>` totals count the stable catalogue's tests only (consumers
 * that count `<testcase>` elements themselves see them as any failure).
 * A test that ran its user as a client kind carries it as `clientKind`.
 */
export function renderJunit(input: ReportInput): string {
  const { results } = input;
  const all = splitTentative(results.requirements).stable.flatMap((r) => r.tests);
  const totals = countVerdicts(all);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(`${results.tool.name} against ${results.target.serverVersion}`)}" tests="${all.length}" failures="${totals.fail}" errors="${totals.error}" skipped="${totals.skip}" time="${seconds(results.durationMs)}" timestamp="${escapeXml(results.startedAt)}">`,
  ];
  for (const group of byArea(results.requirements)) {
    const tests = group.requirements.flatMap((r) => r.tests);
    const counts = countVerdicts(tests);
    lines.push(
      `  <testsuite name="${escapeXml(group.area)}" tests="${tests.length}" failures="${counts.fail}" errors="${counts.error}" skipped="${counts.skip}" time="${seconds(tests.reduce((sum, t) => sum + t.durationMs, 0))}" timestamp="${escapeXml(results.startedAt)}">`,
      '    <properties>',
      property('target', results.target.baseUrl, 6),
      property('server.version', results.target.serverVersion, 6),
      property('seed', String(results.seed), 6),
      ...(results.repeat ? [property('repeat', String(results.repeat), 6), property('requirements.flaky', String(group.requirements.filter((r) => r.flaky).length), 6)] : []),
      ...(results.interrupted ? [property('interrupted', results.interrupted, 6)] : []),
      // Skipped for the wait budget, not for anything the server did: CI must not read these as covered.
      property('requirements.notChecked.slow', String(group.requirements.filter((r) => r.notChecked === 'slow').length), 6),
      property('requirements.notChecked.rate-limited', String(group.requirements.filter((r) => r.notChecked === 'rate-limited').length), 6),
      ...(group.requirements.some(isTentative) ? [property('tentative.gating', tentativeGating(input.gate), 6)] : []),
      '    </properties>',
    );
    for (const requirement of group.requirements) {
      for (const test of requirement.tests) lines.push(...testcase(requirement, test));
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase(requirement: RequirementResult, test: TestResult): string[] {
  const specUrl = catalogueEntry(requirement.id)?.specUrl;
  const proposal = proposalOf(requirement);
  const out = [
    `    <testcase classname="${escapeXml(requirement.id)}" name="${escapeXml(test.name)}" time="${seconds(test.durationMs)}">`,
    '      <properties>',
    property('requirement', requirement.id, 8),
    property('level', requirement.level, 8),
    ...(specUrl ? [property('spec', specUrl, 8)] : []),
    ...(proposal ? [property('msc', proposal.msc, 8), property('msc.status', proposal.status, 8)] : []),
    ...(test.clientKind ? [property('clientKind', test.clientKind, 8)] : []),
    ...(test.evidence ? [property('evidence', test.evidence, 8)] : []),
    ...(test.skipReason ? [property('skipReason', test.skipReason, 8)] : []),
    ...(test.flaky ? [property('flaky', 'true', 8)] : []),
    ...(test.runs ? [property('runs', runVerdicts(test.runs), 8)] : []),
    '      </properties>',
  ];
  const message = `${test.flaky ? `flaky (${runVerdicts(test.runs)}): ` : ''}${test.message ?? ''}`;
  if (test.verdict === 'fail') {
    out.push(`      <failure message="${escapeXml(oneLine(message, 500))}" type="${escapeXml(`${requirement.level} ${requirement.id}`)}">${escapeXmlContent(message)}</failure>`);
  } else if (test.verdict === 'error') {
    out.push(`      <error message="${escapeXml(oneLine(message, 500))}" type="${test.inconclusive ? `inconclusive${test.inconclusive.see ? `, see ${escapeXml(test.inconclusive.see)}` : ''}` : 'harness error'}">${escapeXmlContent(message)}</error>`);
  } else if (test.verdict === 'skip') {
    out.push(`      <skipped message="${escapeXml(oneLine(message, 500) || 'skipped')}"/>`);
  }
  if (test.flaky) out.push(...reruns(requirement, test));
  out.push('    </testcase>');
  return out;
}

/** A flaky test's further failing runs (after the one its own element reports), and every run's outcome in `<system-out>`. */
function reruns(requirement: RequirementResult, test: TestResult): string[] {
  const runs = test.runs ?? [];
  const reported = runs.find((r) => r.verdict === test.verdict);
  const element = (r: TestRun) => (r.verdict === 'fail' ? 'rerunFailure' : 'rerunError');
  const further = test.verdict === 'fail' || test.verdict === 'error' ? runs.filter((r) => r !== reported && (r.verdict === 'fail' || r.verdict === 'error')) : [];
  const line = (r: TestRun) => `run ${r.run}: ${r.verdict}${r.message ? ` - ${oneLine(r.message, 300)}` : ''}${r.evidence ? ` (${r.evidence})` : ''}`;
  return [
    ...further.map((r) => `      <${element(r)} message="${escapeXml(oneLine(`run ${r.run}: ${r.message ?? ''}`, 500))}" type="${escapeXml(`${requirement.level} ${requirement.id}`)}">${escapeXmlContent(r.message ?? '')}</${element(r)}>`),
    `      <system-out>${escapeXmlContent(runs.map(line).join('\n'))}</system-out>`,
  ];
}

function property(name: string, value: string, indent: number): string {
  return `${' '.repeat(indent)}<property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`;
}
