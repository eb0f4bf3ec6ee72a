import { describe, expect, test } from 'vitest';
import { mergeRuns } from './merge-runs.js';
import type { EvidenceFile, RequirementResult, Results, RunRecord, TestResult } from './model.js';
import { RESULTS_SCHEMA_VERSION } from './model.js';
import { resultsSchemaErrors } from '../reports/results-schema.js';
import { NO_TEST_RAN } from './aggregate.js';
import { steadyRuns } from '../runner/repeat.js';

const EVIDENCE = 'evidence/PRES-IDLE-AUTO/goes-unavailable.json';

function requirement(id: string, tests: TestResult[], verdict = tests[0]!.verdict): RequirementResult {
  return { id, level: 'MUST', area: 'idle-timeout', title: id, verdict, tests };
}

function run(startedAt: string, requirements: RequirementResult[], extra: Partial<Results> = {}): RunRecord {
  const evidence = new Map<string, EvidenceFile>();
  for (const t of requirements.flatMap((r) => r.tests)) {
    if (t.evidence) evidence.set(t.evidence, { test: t.name, verdict: t.verdict, message: t.message, violations: [], exchanges: [] });
  }
  const results: Results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'matrix-presence-conformance', version: '0.1.0' },
    target: { kind: 'synapse', baseUrl: 'http://127.0.0.1:8008', serverName: 'localhost', serverVersion: 'Synapse 1.163.2' },
    seed: 7,
    startedAt,
    durationMs: 10_000,
    maxWaitMs: 120_000,
    ...extra,
    requirements,
  };
  return { results, evidence };
}

const failing: TestResult = { name: 'goes unavailable', verdict: 'fail', durationMs: 900, message: 'AssertionError: still online after 40 s', evidence: EVIDENCE };
const passing: TestResult = { name: 'goes unavailable', verdict: 'pass', durationMs: 800, evidence: EVIDENCE };
const steady: TestResult = { name: 'stays online while active', verdict: 'pass', durationMs: 100 };

describe('mergeRuns (--repeat)', () => {
  test('keeps a tentative requirement\'s proposal and each test\'s client kind', () => {
    const tentative = (tests: TestResult[]): RequirementResult => ({ ...requirement('PRES-TENT-SSS-IDLE', tests), area: 'tentative', tentative: { msc: 'MSC4186', status: 'merged' } });
    const bot: TestResult = { ...steady, clientKind: 'bot' };
    const merged = mergeRuns([run('2026-01-01T00:00:00.000Z', [tentative([bot])]), run('2026-01-01T00:01:00.000Z', [tentative([{ ...bot, verdict: 'fail' }])])]);
    const [r] = merged.results.requirements;
    expect(r).toMatchObject({ area: 'tentative', tentative: { msc: 'MSC4186', status: 'merged' }, verdict: 'fail', flaky: true });
    expect(r!.tests[0]!.clientKind).toBe('bot');
    expect(resultsSchemaErrors(merged.results)).toEqual([]);
  });

  test('sums the test users of the runs, each of which made and removed its own', () => {
    const merged = mergeRuns([
      run('2026-11-26T10:00:00.000Z', [requirement('PRES-IDLE-AUTO', [steady])], { users: { made: 10, deactivated: 10, failed: 0, durationMs: 1_000 } }),
      run('2026-11-26T10:00:12.000Z', [requirement('PRES-IDLE-AUTO', [steady])], { users: { made: 11, deactivated: 10, failed: 1, notCleanedUp: ['@pc-a:hs'], cause: 'the clean-up ran out of time', durationMs: 2_000 } }),
    ]);
    expect(merged.results.users).toEqual({ made: 21, deactivated: 20, failed: 1, notCleanedUp: ['@pc-a:hs'], cause: 'the clean-up ran out of time', durationMs: 3_000 });
    expect(resultsSchemaErrors(merged.results)).toEqual([]);
  });

  test('a test that failed in one run and passed in the other keeps the failure, marked flaky, with both runs and both runs\' evidence', () => {
    const merged = mergeRuns([
      run('2026-11-26T10:00:00.000Z', [requirement('PRES-IDLE-AUTO', [failing, steady], 'fail')]),
      run('2026-11-26T10:00:12.000Z', [requirement('PRES-IDLE-AUTO', [passing, steady], 'pass')]),
    ]);
    const r = merged.results.requirements[0]!;
    expect(r).toMatchObject({ id: 'PRES-IDLE-AUTO', verdict: 'fail', flaky: true, runs: [{ run: 1, verdict: 'fail' }, { run: 2, verdict: 'pass' }] });
    const [flaky, stable] = r.tests;
    expect(flaky).toMatchObject({ name: 'goes unavailable', verdict: 'fail', flaky: true, message: failing.message, evidence: 'evidence/PRES-IDLE-AUTO/goes-unavailable.run-1.json' });
    expect(flaky!.runs).toEqual([
      { run: 1, verdict: 'fail', durationMs: 900, message: failing.message, evidence: 'evidence/PRES-IDLE-AUTO/goes-unavailable.run-1.json' },
      { run: 2, verdict: 'pass', durationMs: 800, evidence: 'evidence/PRES-IDLE-AUTO/goes-unavailable.run-2.json' },
    ]);
    expect(stable).toMatchObject({ verdict: 'pass', runs: [{ run: 1, verdict: 'pass' }, { run: 2, verdict: 'pass' }] });
    expect(stable!.flaky).toBeUndefined();
    // The failing run's evidence is kept although the later run passed.
    expect([...merged.evidence.keys()].sort()).toEqual(['evidence/PRES-IDLE-AUTO/goes-unavailable.run-1.json', 'evidence/PRES-IDLE-AUTO/goes-unavailable.run-2.json']);
    expect(merged.evidence.get('evidence/PRES-IDLE-AUTO/goes-unavailable.run-1.json')?.verdict).toBe('fail');
    expect(merged.results).toMatchObject({ repeat: 2, startedAt: '2026-11-26T10:00:00.000Z', durationMs: 22_000 });
    expect(resultsSchemaErrors(merged.results)).toEqual([]);
  });

  test('the same verdicts in every run: no flaky mark anywhere, whichever order', () => {
    const twice = mergeRuns([run('2026-11-26T10:00:00.000Z', [requirement('PRES-IDLE-AUTO', [failing, steady], 'fail')]), run('2026-11-26T10:00:12.000Z', [requirement('PRES-IDLE-AUTO', [failing, steady], 'fail')])]);
    expect(twice.results.requirements[0]!.flaky).toBeUndefined();
    expect(twice.results.requirements[0]!.tests.some((t) => t.flaky)).toBe(false);
    // The failure seen only in the second run is the one reported, with that run's evidence.
    const late = mergeRuns([run('2026-11-26T10:00:00.000Z', [requirement('PRES-IDLE-AUTO', [passing], 'pass')]), run('2026-11-26T10:00:12.000Z', [requirement('PRES-IDLE-AUTO', [failing], 'fail')])]);
    expect(late.results.requirements[0]!.tests[0]).toMatchObject({ verdict: 'fail', flaky: true, evidence: 'evidence/PRES-IDLE-AUTO/goes-unavailable.run-2.json' });
  });

  test('an error in one run and a pass in another is an error (could not be checked), flaky; fail beats error', () => {
    const error: TestResult = { name: 'goes unavailable', verdict: 'error', durationMs: 5, message: 'inconclusive: alice never came online', inconclusive: { reason: 'alice never came online', see: 'PRES-SYNC-DEFAULT' } };
    const m = mergeRuns([run('2026-11-26T10:00:00.000Z', [requirement('PRES-IDLE-AUTO', [passing])]), run('2026-11-26T10:00:12.000Z', [requirement('PRES-IDLE-AUTO', [error])]), run('2026-11-26T10:00:24.000Z', [requirement('PRES-IDLE-AUTO', [failing])])]);
    expect(m.results.requirements[0]).toMatchObject({ verdict: 'fail', flaky: true });
    expect(m.results.requirements[0]!.tests[0]!.runs?.map((r) => r.verdict)).toEqual(['pass', 'error', 'fail']);
    expect(m.results.requirements[0]!.tests[0]!.runs?.[1]?.inconclusive).toEqual(error.inconclusive);
    const two = mergeRuns([run('2026-11-26T10:00:00.000Z', [requirement('PRES-IDLE-AUTO', [passing])]), run('2026-11-26T10:00:12.000Z', [requirement('PRES-IDLE-AUTO', [error])])]);
    expect(two.results.requirements[0]).toMatchObject({ verdict: 'error', flaky: true });
    expect(two.results.requirements[0]!.tests[0]!.inconclusive).toEqual(error.inconclusive);
  });

  test('a payload violation seen in only one run is a flaky failing entry', () => {
    const seen: TestResult = { name: 'payload seen during "PRES-X > y"', verdict: 'fail', durationMs: 0, message: 'free_for_chat in payload (exchange #3)' };
    const m = mergeRuns([
      run('2026-11-26T10:00:00.000Z', [requirement('PRES-STATE-ENUM', [steady, seen], 'fail')]),
      run('2026-11-26T10:00:12.000Z', [requirement('PRES-STATE-ENUM', [steady], 'pass')]),
    ]);
    const r = m.results.requirements[0]!;
    expect(r).toMatchObject({ verdict: 'fail', flaky: true });
    expect(r.tests[1]).toMatchObject({ name: seen.name, verdict: 'fail', flaky: true, runs: [{ run: 1, verdict: 'fail' }] });
  });

  test('requirements an interrupted run never reached do not count as a flip; its diagnoses are merged once per code', () => {
    const notRun = requirement('PRES-IDLE-AUTO', [{ name: NO_TEST_RAN, verdict: 'skip', durationMs: 0, message: 'not run: SIGINT' }], 'skip');
    const diagnosis = { code: 'presence-disabled' as const, message: 'presence looks disabled' };
    const m = mergeRuns([
      run('2026-11-26T10:00:00.000Z', [requirement('PRES-IDLE-AUTO', [passing])], { diagnoses: [diagnosis] }),
      run('2026-11-26T10:00:12.000Z', [notRun], { interrupted: 'SIGINT', diagnoses: [{ ...diagnosis, message: 'again' }] }),
    ]);
    expect(m.results.requirements[0]).toMatchObject({ verdict: 'pass', runs: [{ run: 1, verdict: 'pass' }] });
    expect(m.results.requirements[0]!.flaky).toBeUndefined();
    expect(m.results.interrupted).toBe('SIGINT');
    expect(m.results.diagnoses).toEqual([diagnosis]);
  });

  test('counts the runs that gave the most common requirement verdicts', () => {
    const pass = run('2026-11-26T10:00:00.000Z', [requirement('PRES-IDLE-AUTO', [passing])]);
    const fail = run('2026-11-26T10:00:00.000Z', [requirement('PRES-IDLE-AUTO', [failing])]);
    expect(steadyRuns([pass, pass, pass])).toBe('3 of 3 runs gave the same requirement verdicts');
    expect(steadyRuns([pass, fail, pass])).toBe('2 of 3 runs gave the same requirement verdicts (2 different sets)');
    const cut = run('2026-11-26T10:00:00.000Z', [requirement('PRES-IDLE-AUTO', [failing])], { interrupted: 'SIGINT' });
    expect(steadyRuns([pass, cut])).toBe('1 of 1 runs gave the same requirement verdicts (1 more cut short, not compared)');
  });
});
