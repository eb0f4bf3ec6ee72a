import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Level } from '../catalogue.js';
import { aggregate, combine } from './aggregate.js';
import { gate, loadExpectations, tentativeMarkerError } from './gate.js';
import type { CollectedTest, RequirementResult, Verdict } from './model.js';

const r = (id: string, level: Level, verdict: Verdict): RequirementResult => ({ id, level, area: 'put', title: id, verdict, tests: [] });
const tent = (id: string, level: Level, verdict: Verdict): RequirementResult => ({ ...r(id, level, verdict), area: 'tentative', tentative: { msc: 'MSC4186', status: 'merged' } });

describe('combine', () => {
  it('is fail over error over pass over skip', () => {
    expect(combine(['pass', 'fail', 'error'])).toBe('fail');
    expect(combine(['pass', 'error'])).toBe('error');
    expect(combine(['skip', 'pass'])).toBe('pass');
    expect(combine(['skip'])).toBe('skip');
  });
});

describe('aggregate', () => {
  const test = (over: Partial<CollectedTest>): CollectedTest => ({ requirementId: 'PRES-PUT-OTHER', name: 't', fullName: 'PRES-PUT-OTHER > t', verdict: 'pass', durationMs: 5, ...over });

  it('turns a violation seen by any test into a failing entry of the broken requirement', () => {
    const violation = { requirementId: 'PRES-FFC-EMIT', message: 'payload contains "free_for_chat"', exchangeSeq: 7, payload: {} };
    const out = aggregate([test({ evidence: { exchanges: [], violations: [violation] } })], ['PRES-PUT-OTHER', 'PRES-FFC-EMIT'], () => 'e.json', 'not run');
    expect(out.map((x) => [x.id, x.verdict])).toEqual([
      ['PRES-FFC-EMIT', 'fail'],
      ['PRES-PUT-OTHER', 'pass'],
    ]);
    expect(out[0]?.tests[0]?.message).toContain('exchange #7');
  });

  it('copies a tentative requirement\'s proposal from the catalogue into its result', () => {
    const [out] = aggregate([], ['PRES-TENT-BUSY-SET'], () => undefined, 'not run');
    expect(out).toMatchObject({ area: 'tentative', tentative: { msc: 'MSC3026', status: 'closed-but-shipped' }, verdict: 'skip' });
    expect(aggregate([], ['PRES-PUT-OTHER'], () => undefined, 'not run')[0]).not.toHaveProperty('tentative');
  });

  it('reports requirements without tests as skipped with the reason', () => {
    const out = aggregate([], ['PRES-IDLE-AUTO', 'PRES-FED-ENUM'], () => undefined, 'not run: interrupted');
    expect(out.map((x) => [x.verdict, x.tests[0]?.message])).toEqual([
      ['skip', 'not run: interrupted'],
      ['skip', 'not run: interrupted'],
    ]);
  });
});

describe('gate', () => {
  const results = [r('A', 'MUST', 'fail'), r('B', 'SHOULD', 'fail'), r('C', 'MAY', 'fail'), r('D', 'MUST', 'pass')];

  it('exits 1 on a MUST failure and ignores SHOULD and MAY by default', () => {
    expect(gate(results, { failOn: 'must' })).toMatchObject({ exitCode: 1, regressions: ['A'] });
    expect(gate([r('B', 'SHOULD', 'fail'), r('C', 'MAY', 'fail')], { failOn: 'must' }).exitCode).toBe(0);
  });

  it('gates SHOULD too with --fail-on should, never MAY', () => {
    expect(gate(results, { failOn: 'should' }).regressions).toEqual(['A', 'B']);
  });

  it('exits 0 when every failure is expected, and reports expected failures that pass', () => {
    const expectations = { server: 's', expectedFailures: [{ id: 'A', reason: '' }, { id: 'D', reason: '' }] };
    expect(gate(results, { failOn: 'must', expectations })).toMatchObject({ exitCode: 0, regressions: [], unexpectedPasses: ['D'] });
    expect(gate(results, { failOn: 'must', expectations, strictExpect: true }).exitCode).toBe(1);
  });

  it('takes a pass of an intermittent expected failure as no news, even when strict', () => {
    const expectations = { server: 's', expectedFailures: [{ id: 'A', reason: '' }, { id: 'D', reason: '', intermittent: true }] };
    expect(gate(results, { failOn: 'must', expectations, strictExpect: true })).toMatchObject({ exitCode: 0, unexpectedPasses: [] });
  });

  it('expects a pair-only failure on a federating pair alone: alone, its failure gates and its pass is no news', () => {
    const expectations = { server: 's', expectedFailures: [{ id: 'A', reason: '', pairOnly: true }, { id: 'D', reason: '', pairOnly: true }] };
    expect(gate(results, { failOn: 'must', expectations, strictExpect: true, pair: true })).toMatchObject({ exitCode: 1, regressions: [], unexpectedPasses: ['D'] });
    expect(gate(results, { failOn: 'must', expectations, strictExpect: true })).toMatchObject({ exitCode: 1, regressions: ['A'], unexpectedPasses: [] });
  });

  it('never gates on tentative requirements, not even their MUSTs, unless --fail-on tentative', () => {
    const results = [r('D', 'MUST', 'pass'), tent('T1', 'MUST', 'fail'), tent('T2', 'SHOULD', 'fail'), tent('T3', 'MUST', 'error'), tent('T4', 'MAY', 'fail')];
    for (const failOn of ['must', 'should'] as const) {
      expect(gate(results, { failOn })).toMatchObject({ exitCode: 0, regressions: [], errors: [] });
      expect(gate(results, { failOn }).tentativeGates).toBeUndefined();
    }
    // --fail-on tentative: MUST and SHOULD, stable and tentative; never MAY.
    expect(gate([...results, r('B', 'SHOULD', 'fail')], { failOn: 'tentative' })).toMatchObject({ exitCode: 1, regressions: ['T1', 'T2', 'B'], errors: ['T3'], tentativeGates: true });
    expect(gate([tent('T3', 'MUST', 'error')], { failOn: 'tentative' }).exitCode).toBe(2);
  });

  it('lists a tentative expected failure that passes, fatal under --strict-expect only when tentative requirements gate', () => {
    const expectations = { server: 's', expectedFailures: [{ id: 'T1', reason: 'no sliding sync presence' }] };
    const results = [tent('T1', 'MUST', 'pass')];
    expect(gate(results, { failOn: 'must', expectations, strictExpect: true })).toMatchObject({ exitCode: 0, unexpectedPasses: ['T1'] });
    expect(gate(results, { failOn: 'tentative', expectations, strictExpect: true })).toMatchObject({ exitCode: 1, unexpectedPasses: ['T1'] });
  });

  it('exits 2 when a gating requirement could not be checked and nothing failed', () => {
    expect(gate([r('A', 'MUST', 'error')], { failOn: 'must' })).toMatchObject({ exitCode: 2, errors: ['A'] });
  });
});

describe('expectations of tentative requirements', () => {
  it('say which proposal they are of, as the catalogue does', () => {
    expect(tentativeMarkerError('PRES-TENT-SSS-IDLE', 'MSC4186')).toBeUndefined();
    expect(tentativeMarkerError('PRES-IDLE-AUTO', undefined)).toBeUndefined();
    expect(tentativeMarkerError('PRES-TENT-SSS-IDLE', undefined)).toBe('PRES-TENT-SSS-IDLE is tentative (MSC4186): its entry must say "tentative": "MSC4186"');
    expect(tentativeMarkerError('PRES-TENT-BUSY-SET', 'MSC4186')).toBe('PRES-TENT-BUSY-SET is tentative (MSC3026): its entry must say "tentative": "MSC3026", not "MSC4186"');
    expect(tentativeMarkerError('PRES-IDLE-AUTO', 'MSC4186')).toBe('PRES-IDLE-AUTO is not a tentative requirement, yet its entry says "tentative": "MSC4186"');
  });

  it('the committed files load, their tentative entries marked', async () => {
    for (const family of ['synapse', 'dendrite', 'tuwunel']) {
      const { expectedFailures } = await loadExpectations(fileURLToPath(new URL(`../../reports/expectations/${family}.json`, import.meta.url)));
      for (const entry of expectedFailures.filter((e) => e.id.startsWith('PRES-TENT-'))) expect(entry.tentative, `${family}: ${entry.id}`).toMatch(/^MSC\d+$/);
    }
  });

  it('a file whose tentative entry is unmarked is refused with the one-line cause', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'expect-'));
    const file = path.join(dir, 'x.json');
    await writeFile(file, JSON.stringify({ expectedFailures: [{ id: 'PRES-TENT-SSS-UNKNOWN', reason: 'r' }] }));
    await expect(loadExpectations(file)).rejects.toThrow(`--expect ${file}: PRES-TENT-SSS-UNKNOWN is tentative (MSC4186): its entry must say "tentative": "MSC4186"`);
    await rm(dir, { recursive: true });
  });
});
