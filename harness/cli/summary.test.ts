import { describe, expect, it } from 'vitest';
import type { RequirementResult, TestResult } from '../results/model.js';
import { sharedCauses } from './summary.js';

const test = (verdict: TestResult['verdict'], message?: string): TestResult => ({ name: 't', verdict, durationMs: 1, ...(message ? { message } : {}) });
const requirement = (id: string, verdict: RequirementResult['verdict'], tests: TestResult[]): RequirementResult => ({ id, level: 'MUST', area: 'sync', title: id, verdict, tests });

const timeout = (ms: number) => `HarnessError: POST /_synapse/admin/v1/register failed after ${ms} ms: Headers Timeout Error`;

describe('causes of error shared by several requirements', () => {
  it('are named once, whatever the durations in their messages', () => {
    const causes = sharedCauses([
      requirement('PRES-A', 'error', [test('error', timeout(15306)), test('error', timeout(15287))]),
      requirement('PRES-B', 'error', [test('pass'), test('error', timeout(15533))]),
      requirement('PRES-C', 'error', [test('error', 'HarnessError: POST /_matrix/client/v3/createRoom failed after 15247 ms: Headers Timeout Error')]),
      requirement('PRES-D', 'fail', [test('fail', 'AssertionError: expected 403'), test('error', timeout(15595))]),
    ]);

    expect(causes).toEqual([{ message: timeout(15306), tests: 4, requirements: ['PRES-A', 'PRES-B'] }]);
  });

  it('leave a cause of one requirement on its own line', () => {
    expect(sharedCauses([requirement('PRES-A', 'error', [test('error', timeout(1)), test('error', timeout(2))])])).toEqual([]);
  });
});
