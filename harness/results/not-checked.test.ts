import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate.js';
import { collectedTest } from './collected-test.fixture.js';
import { gate } from './gate.js';
import type { CollectedTest } from './model.js';

const SLOW = { needsMs: 613_000, maxWaitMs: 120_000, afterMs: 900 };
const test = collectedTest;
const slow = (requirementId: string, name = 'slow story'): CollectedTest =>
  test(requirementId, { name, verdict: 'skip', message: 'slow: needs ~613 s; pass --slow', slow: SLOW });

describe('requirements the wait budget left unchecked', () => {
  const tests = [
    slow('PRES-IDLE-AUTO', 'quiet'),
    slow('PRES-IDLE-AUTO', 'syncing'),
    test('PRES-IDLE-WAKE', { name: 'manual' }),
    slow('PRES-IDLE-WAKE', 'idled'),
    slow('PRES-CA-GET-FRESH'),
    test('PRES-CA-GET-FRESH', { name: 'not offered', verdict: 'skip', message: 'not offered: ...' }),
    slow('PRES-LAA-PASSIVE'),
    slow('PRES-IDLE-NOT-EARLY'),
    test('PRES-IDLE-NOT-EARLY', { name: 'fails fast', verdict: 'fail', message: 'AssertionError: seen unavailable' }),
    test('PRES-PUT-OTHER', { name: 'plain skip', verdict: 'skip', message: 'not offered: ...' }),
  ];
  const ids = ['PRES-IDLE-AUTO', 'PRES-IDLE-NOT-EARLY', 'PRES-IDLE-WAKE', 'PRES-LAA-PASSIVE', 'PRES-CA-GET-FRESH', 'PRES-PUT-OTHER'];
  const requirements = aggregate(tests, ids, () => undefined, 'not run');
  const byId = (id: string) => requirements.find((r) => r.id === id)!;

  it('marks each slow-skipped test with the distinct skip reason', () => {
    expect(byId('PRES-IDLE-AUTO').tests.map((t) => t.skipReason)).toEqual(['slow', 'slow']);
    expect(byId('PRES-PUT-OTHER').tests[0]!.skipReason).toBeUndefined();
  });

  it('a requirement whose every verdict-giving test was slow is a skip marked not checked: slow', () => {
    expect(byId('PRES-IDLE-AUTO')).toMatchObject({ verdict: 'skip', notChecked: 'slow' });
    // One slow test and one "not offered": --slow could still give a verdict, so it is not checked, not "not offered".
    expect(byId('PRES-CA-GET-FRESH')).toMatchObject({ verdict: 'skip', notChecked: 'slow' });
  });

  it('a plain skip, a pass or a failure is never marked not checked', () => {
    expect(byId('PRES-PUT-OTHER').notChecked).toBeUndefined();
    expect(byId('PRES-IDLE-WAKE')).toMatchObject({ verdict: 'pass' });
    expect(byId('PRES-IDLE-WAKE').notChecked).toBeUndefined();
    expect(byId('PRES-IDLE-NOT-EARLY')).toMatchObject({ verdict: 'fail' });
    expect(byId('PRES-IDLE-NOT-EARLY').notChecked).toBeUndefined();
  });

  it('the gate lists gating requirements not checked and those passed only in part, without changing the exit code', () => {
    const must = gate(requirements, { failOn: 'must' });
    expect(must.notChecked).toEqual(['PRES-IDLE-AUTO', 'PRES-CA-GET-FRESH']);
    expect(must.partlyChecked).toEqual(['PRES-IDLE-WAKE']);
    expect(must.regressions).toEqual(['PRES-IDLE-NOT-EARLY']);
    expect(must.exitCode).toBe(1);
    // PRES-LAA-PASSIVE is a SHOULD: counted only when SHOULD gates.
    expect(gate(requirements, { failOn: 'should' }).notChecked).toEqual(['PRES-IDLE-AUTO', 'PRES-LAA-PASSIVE', 'PRES-CA-GET-FRESH']);
    const unchecked = requirements.filter((r) => r.id !== 'PRES-IDLE-NOT-EARLY');
    expect(gate(unchecked, { failOn: 'must' })).toMatchObject({ exitCode: 0, notChecked: ['PRES-IDLE-AUTO', 'PRES-CA-GET-FRESH'] });
  });
});
