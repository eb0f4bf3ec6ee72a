import { describe, expect, it } from 'vitest';
import type { RequirementResult, Verdict } from '../results/model.js';
import type { Mutant } from './mutant.js';
import type { RequirementId } from '../requirement-ids.js';
import { falseBlameLines, renderMarkdown, selfCheckExitCode, type LatencyBaseline, type SelfCheckReport } from './report.js';
import { differences, falseBlames, judge, latencyErrors, mutantScope, recheckBlames, testsBroken } from './verdicts.js';

const mutant = (violates: RequirementId[], areas?: Mutant['areas']): Mutant => ({ name: 'm', bug: 'b', violates, areas, create: () => ({}) });
const verdicts = (entries: Record<string, Verdict>) => new Map(Object.entries(entries));

describe('judging a mutant against the no-mutant baseline', () => {
  it('is caught when a requirement goes to fail, whichever requirement it is', () => {
    const result = judge(mutant(['PRES-FFC-PUT']), verdicts({ 'PRES-FFC-PUT': 'pass', 'PRES-STATE-ENUM': 'pass' }), verdicts({ 'PRES-FFC-PUT': 'pass', 'PRES-STATE-ENUM': 'fail' }));
    expect(result.status).toBe('caught');
    expect(result.caughtBy).toEqual([{ id: 'PRES-STATE-ENUM', before: 'pass', after: 'fail' }]);
  });

  it('counts skip -> fail (an invariant seen by another test) as caught', () => {
    expect(judge(mutant(['PRES-CA-ONLINE-ONLY']), verdicts({ 'PRES-CA-ONLINE-ONLY': 'skip' }), verdicts({ 'PRES-CA-ONLINE-ONLY': 'fail' })).status).toBe('caught');
  });

  it('survives when nothing goes to fail, and a change to error does not catch it', () => {
    const result = judge(mutant(['PRES-VIS-NONSHARED-GET']), verdicts({ 'PRES-VIS-NONSHARED-GET': 'pass', 'PRES-PUT-OTHER': 'pass' }), verdicts({ 'PRES-VIS-NONSHARED-GET': 'pass', 'PRES-PUT-OTHER': 'error' }));
    expect(result.status).toBe('survived');
    expect(result.otherChanges).toEqual([{ id: 'PRES-PUT-OTHER', before: 'pass', after: 'error' }]);
  });

  it('is inconclusive (error), not survived, when nothing it violates reached a verdict with it', () => {
    const result = judge(mutant(['PRES-FED-NONSHARED', 'PRES-VIS-LEAVE']), verdicts({ 'PRES-FED-NONSHARED': 'pass', 'PRES-VIS-LEAVE': 'skip' }), verdicts({ 'PRES-FED-NONSHARED': 'error', 'PRES-VIS-LEAVE': 'skip' }));
    expect(result).toMatchObject({ status: 'error', note: 'inconclusive: PRES-FED-NONSHARED error, PRES-VIS-LEAVE skip with the mutant, so nothing it violates was judged' });
    expect(judge(mutant(['PRES-FED-NONSHARED', 'PRES-VIS-LEAVE']), verdicts({ 'PRES-FED-NONSHARED': 'pass', 'PRES-VIS-LEAVE': 'pass' }), verdicts({ 'PRES-FED-NONSHARED': 'error', 'PRES-VIS-LEAVE': 'pass' })).status).toBe('survived');
  });

  it('is masked, not survived, when everything it violates already fails without it', () => {
    expect(judge(mutant(['PRES-FFC-ERRCODE']), verdicts({ 'PRES-FFC-ERRCODE': 'fail' }), verdicts({ 'PRES-FFC-ERRCODE': 'fail' })).status).toBe('masked');
    expect(judge(mutant(['PRES-FFC-ERRCODE', 'PRES-FFC-PUT']), verdicts({ 'PRES-FFC-ERRCODE': 'fail', 'PRES-FFC-PUT': 'pass' }), verdicts({ 'PRES-FFC-ERRCODE': 'fail', 'PRES-FFC-PUT': 'pass' })).status).toBe('survived');
  });

  it('is masked when the rest of what it violates cannot be judged on this target, with or without it, and says so', () => {
    const both = verdicts({ 'PRES-FFC-PUT': 'fail', 'PRES-FFC-ERRCODE': 'error' });
    const judged = judge(mutant(['PRES-FFC-PUT', 'PRES-FFC-ERRCODE']), both, both);
    expect(judged.status).toBe('masked');
    expect(judged.note).toMatch(/PRES-FFC-ERRCODE cannot be judged on this target/);
    // Judged without the mutant and not with it: not masked.
    expect(judge(mutant(['PRES-FFC-PUT', 'PRES-FFC-ERRCODE']), verdicts({ 'PRES-FFC-PUT': 'fail', 'PRES-FFC-ERRCODE': 'pass' }), both).status).not.toBe('masked');
  });

  it('is masked when nothing it violates can be judged on this target because the server never reaches the story\'s precondition (error both ways), not when the suite skipped it', () => {
    const errs = verdicts({ 'PRES-FFC-ERRCODE': 'error' });
    const judged = judge(mutant(['PRES-FFC-ERRCODE']), errs, errs);
    expect(judged.status).toBe('masked');
    expect(judged.note).toMatch(/PRES-FFC-ERRCODE cannot be judged on this target \(error with and without the mutant\)/);
    const skips = verdicts({ 'PRES-CA-EXPIRES': 'skip' });
    expect(judge(mutant(['PRES-CA-EXPIRES']), skips, skips).status).toBe('error');
  });

  it('compares only requirements both runs covered', () => {
    expect(differences(verdicts({ A: 'pass', B: 'pass' }), verdicts({ A: 'pass' }))).toEqual([]);
  });
});

describe('tests a mutant breaks', () => {
  it('lists tests that went from pass to fail, also inside a requirement that already failed', () => {
    const req = (tests: Array<[string, Verdict]>) => [{ id: 'PRES-IDLE-AUTO', level: 'MUST' as const, area: 'idle-timeout' as const, title: '', verdict: 'fail' as const, tests: tests.map(([name, verdict]) => ({ name, verdict, durationMs: 0 })) }];
    const before = req([['quiet client', 'pass'], ['syncing client', 'fail']]);
    const after = req([['quiet client', 'fail'], ['syncing client', 'fail']]);
    const broken = testsBroken(before, after);
    expect(broken).toEqual([{ id: 'PRES-IDLE-AUTO', test: 'quiet client' }]);
    // A broken test catches the mutant although the requirement failed already.
    expect(judge(mutant(['PRES-IDLE-AUTO']), verdicts({ 'PRES-IDLE-AUTO': 'fail' }), verdicts({ 'PRES-IDLE-AUTO': 'fail' }), broken).status).toBe('caught');
    expect(judge(mutant(['PRES-IDLE-AUTO']), verdicts({ 'PRES-IDLE-AUTO': 'fail' }), verdicts({ 'PRES-IDLE-AUTO': 'fail' }), []).status).toBe('masked');
  });
});

describe('false blames (the precision column)', () => {
  /** A run's results: requirement ID -> its tests' [name, verdict, message]. */
  const run = (requirements: Record<string, Array<[string, Verdict, string?]>>): RequirementResult[] =>
    Object.entries(requirements).map(([id, tests]) => ({
      id,
      level: 'MUST',
      area: 'visibility',
      title: '',
      verdict: tests.some(([, v]) => v === 'fail') ? 'fail' : tests.some(([, v]) => v === 'error') ? 'error' : tests.some(([, v]) => v === 'pass') ? 'pass' : 'skip',
      tests: tests.map(([name, verdict, message]) => ({ name, verdict, durationMs: 0, ...(message ? { message } : {}) })),
    }));
  const baseline = run({
    'PRES-VIS-SHARED-SYNC': [['bob sees alice', 'pass']],
    'PRES-VIS-LEAVE': [['updates stop after leave', 'pass']],
    'PRES-IDLE-AUTO': [['syncing client', 'fail', 'never idle']],
    'PRES-FFC-EMIT': [['never emitted', 'pass']],
  });

  it('lists each failing test of a requirement outside violates that did not fail without the mutant', () => {
    const withMutant = run({
      'PRES-VIS-SHARED-SYNC': [['bob sees alice', 'fail', 'timed out']],
      'PRES-VIS-LEAVE': [['updates stop after leave', 'fail', 'bob never saw alice before the leave\nmore detail']],
      'PRES-IDLE-AUTO': [['syncing client', 'fail', 'never idle']],
      'PRES-FFC-EMIT': [['never emitted', 'pass']],
    });
    const blames = falseBlames(['PRES-VIS-SHARED-SYNC'], baseline, withMutant);
    expect(blames).toEqual([{ id: 'PRES-VIS-LEAVE', before: 'pass', test: 'updates stop after leave', message: 'bob never saw alice before the leave\nmore detail' }]);
    const lines = falseBlameLines({ name: 'm', bug: '', violates: [], scope: [], status: 'caught', caughtBy: [], otherChanges: [], falseBlames: blames, injected: {}, requests: 0, durationMs: 0 });
    expect(lines).toEqual(['PRES-VIS-LEAVE (pass→fail) "updates stop after leave": bob never saw alice before the leave']);
  });

  it('does not blame what the mutant violates, a test that already failed, an error, or what the baseline did not run', () => {
    const withMutant = run({
      'PRES-VIS-SHARED-SYNC': [['bob sees alice', 'fail']],
      'PRES-VIS-LEAVE': [['updates stop after leave', 'error', 'inconclusive: bob never saw alice, see PRES-VIS-SHARED-SYNC']],
      'PRES-IDLE-AUTO': [['syncing client', 'fail', 'never idle']],
      'PRES-FFC-EMIT': [['never emitted', 'pass']],
      'PRES-PUT-OTHER': [['mallory', 'fail']],
    });
    expect(falseBlames(['PRES-VIS-SHARED-SYNC'], baseline, withMutant)).toEqual([]);
  });

  it('blames a test the mutant broke inside a requirement the target already fails, and a new payload finding', () => {
    const withMutant = run({
      'PRES-IDLE-AUTO': [['syncing client', 'fail', 'never idle'], ['quiet client', 'fail', 'bob never saw alice online']],
      'PRES-FFC-EMIT': [['never emitted', 'pass'], ['payload seen during "X"', 'fail', 'payload contains free_for_chat']],
    });
    expect(falseBlames([], baseline, withMutant)).toEqual([
      { id: 'PRES-IDLE-AUTO', before: 'fail', test: 'quiet client', message: 'bob never saw alice online' },
      { id: 'PRES-FFC-EMIT', before: 'pass', test: 'payload seen during "X"', message: 'payload contains free_for_chat' },
    ]);
    expect(falseBlames(['PRES-IDLE-AUTO', 'PRES-FFC-EMIT'], baseline, withMutant)).toEqual([]);
    const lines = falseBlameLines({ name: 'm', bug: '', violates: [], scope: [], status: 'caught', caughtBy: [], otherChanges: [], falseBlames: falseBlames([], baseline, withMutant), injected: {}, requests: 0, durationMs: 0 });
    expect(lines[0]).toBe('PRES-IDLE-AUTO (already failing; this test did not) "quiet client": bob never saw alice online');
  });

  it('blames a requirement that went from skip or error to fail, with its previous verdict', () => {
    const before = run({ 'PRES-CA-SUPPRESS': [['t', 'skip']], 'PRES-CA-EXPIRES': [['t', 'error']] });
    const after = run({ 'PRES-CA-SUPPRESS': [['t', 'fail', 'm1']], 'PRES-CA-EXPIRES': [['t', 'fail']] });
    expect(falseBlames([], before, after)).toEqual([
      { id: 'PRES-CA-SUPPRESS', before: 'skip', test: 't', message: 'm1' },
      { id: 'PRES-CA-EXPIRES', before: 'error', test: 't' },
    ]);
  });
});

describe('errors of the latency run', () => {
  const run = (entries: Record<string, Verdict>): RequirementResult[] =>
    Object.entries(entries).map(([id, verdict]) => ({ id, level: 'MUST', area: 'put', title: '', verdict, tests: [{ name: 't', verdict, durationMs: 0, ...(verdict === 'error' ? { message: `inconclusive ${id}` } : {}) }] }));

  it('are the ones latency caused: an error the direct run has too is the target\'s', () => {
    const direct = run({ 'PRES-FFC-ERRCODE': 'error', 'PRES-PUT-ROUNDTRIP': 'pass' });
    expect(latencyErrors(direct, run({ 'PRES-FFC-ERRCODE': 'error', 'PRES-PUT-ROUNDTRIP': 'pass' }))).toEqual([]);
    expect(latencyErrors(direct, run({ 'PRES-FFC-ERRCODE': 'error', 'PRES-PUT-ROUNDTRIP': 'error' }))).toEqual([{ id: 'PRES-PUT-ROUNDTRIP', message: 'inconclusive PRES-PUT-ROUNDTRIP' }]);
  });
});

describe('which requirements run against a mutant', () => {
  it('runs everything selected when the mutant names no areas', () => {
    expect(mutantScope(mutant(['PRES-CA-ONLINE-ONLY']), ['PRES-FFC-PUT', 'PRES-PUT-OTHER'])).toEqual(['PRES-FFC-PUT', 'PRES-PUT-OTHER']);
  });

  it('runs the areas it names and the areas of what it violates, within the selection', () => {
    const scope = mutantScope(mutant(['PRES-PUT-OTHER'], ['states']), ['PRES-STATE-ENUM', 'PRES-FFC-PUT', 'PRES-PUT-ROUNDTRIP', 'PRES-PUT-OTHER']);
    expect(scope).toEqual(['PRES-STATE-ENUM', 'PRES-PUT-ROUNDTRIP', 'PRES-PUT-OTHER']);
    expect(mutantScope(mutant(['PRES-PUT-OTHER'], []), ['PRES-FFC-PUT'])).toEqual([]);
  });
});

describe('the self-check exit code', () => {
  const report = (over: Partial<SelfCheckReport> = {}, statuses: Array<SelfCheckReport['mutants'][number]['status']> = ['caught']): SelfCheckReport => ({
    schemaVersion: 1,
    target: { kind: 'synapse', serverVersion: 'x' },
    seed: 1,
    startedAt: '',
    durationMs: 0,
    baseline: { direct: {}, noMutant: {}, proxyFaithful: true, differences: [], proxiedRequests: 0 },
    mutants: statuses.map((status) => ({ name: status, bug: '', violates: [], scope: [], status, caughtBy: [], otherChanges: [], injected: {}, requests: 0, durationMs: 0 })),
    ...over,
  });

  it('is 0 when every mutant is caught or masked', () => expect(selfCheckExitCode(report({}, ['caught', 'masked', 'not-run']))).toBe(0));
  it('is 1 when a mutant survives', () => expect(selfCheckExitCode(report({}, ['caught', 'survived']))).toBe(1));
  it('is 1 when the faithful proxy changed a verdict', () =>
    expect(selfCheckExitCode(report({ baseline: { direct: {}, noMutant: {}, proxyFaithful: false, differences: [{ id: 'A', before: 'pass', after: 'fail' }], proxiedRequests: 1 } }))).toBe(1));
  it('is 1 when the latency run changed a verdict or gave an error, 0 when it kept them all', () => {
    const latency: LatencyBaseline = { delayMs: 250, jitterMs: 250, verdicts: {}, differences: [], errors: [], proxiedRequests: 1, directMs: 1, latencyMs: 1 };
    const withLatency = (over: Partial<LatencyBaseline>) => report({ baseline: { direct: {}, noMutant: {}, proxyFaithful: true, differences: [], proxiedRequests: 1, latency: { ...latency, ...over } } });
    expect(selfCheckExitCode(withLatency({}))).toBe(0);
    expect(selfCheckExitCode(withLatency({ differences: [{ id: 'A', before: 'pass', after: 'fail' }] }))).toBe(1);
    expect(selfCheckExitCode(withLatency({ errors: [{ id: 'A', message: 'HarnessError: Headers Timeout Error' }] }))).toBe(1);
  });
  it('is 2 when a mutant run could not complete, or the self-check failed', () => {
    expect(selfCheckExitCode(report({}, ['caught', 'error']))).toBe(2);
    expect(selfCheckExitCode(report({ failure: 'x' }))).toBe(2);
  });
  it('is 130 when interrupted', () => expect(selfCheckExitCode(report({ interrupted: 'SIGINT' }, ['survived']))).toBe(130));
  it('is 1 when the presence-disabled stage ran without its diagnosis, and the report says so', () => {
    const stage = report();
    stage.mutants[0]!.diagnosis = { expected: 'presence-disabled' };
    expect(selfCheckExitCode(stage)).toBe(1);
    expect(renderMarkdown(stage)).toContain('**caught: the run did not diagnose presence-disabled.**');
    stage.mutants[0]!.diagnosis = { expected: 'presence-disabled', found: 'presence looks disabled on this server: ...' };
    expect(selfCheckExitCode(stage)).toBe(0);
    expect(renderMarkdown(stage)).toContain('caught: the run diagnosed it: presence looks disabled');
  });

  it('is 1 when a caught mutant blamed a requirement it does not violate, and the report says which', () => {
    const blamed = report();
    blamed.mutants[0]!.falseBlames = [{ id: 'PRES-VIS-LEAVE', before: 'pass', test: 'updates stop | after leave', message: 'never saw <alice>' }];
    expect(selfCheckExitCode(blamed)).toBe(1);
    const markdown = renderMarkdown(blamed);
    expect(markdown).toContain('1 false blame.');
    expect(markdown).toContain('| **PRES-VIS-LEAVE** |');
    expect(markdown).toContain('## False blames');
    // Test names and messages are escaped: they cannot break the table or inject markup.
    expect(markdown).toContain('updates stop \\| after leave');
    expect(markdown).not.toContain('<alice>');
    expect(selfCheckExitCode(report())).toBe(0);
  });

  it('keeps a false blame a second run repeats, and shows one it does not as flaky without failing on it', () => {
    const a = { id: 'PRES-CA-SUPPRESS', before: 'pass' as const, test: 'while alice stays active', message: 'moved only last active' };
    const b = { id: 'PRES-VIS-LEAVE', before: 'pass' as const, test: 'after bob leaves', message: 'never saw alice' };
    expect(recheckBlames([a, b], [b])).toEqual({ confirmed: [b], unconfirmed: [a] });
    expect(recheckBlames([a], [])).toEqual({ confirmed: [], unconfirmed: [a] });
    const flaky = report();
    flaky.mutants[0]!.unconfirmedBlames = [a];
    expect(selfCheckExitCode(flaky)).toBe(0);
    expect(renderMarkdown(flaky)).toContain('## Flaky verdicts (a false blame a second run did not repeat)');
    expect(renderMarkdown(flaky)).toContain('while alice stays active');
  });
});
