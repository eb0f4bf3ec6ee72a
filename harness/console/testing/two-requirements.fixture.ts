// Run by console-reporters.test.ts through its own vitest (not a test file of
// the project's: the name keeps it out of vitest.config.ts's includes): two
// requirements, one test of which fails, as a run's suites would be.
import { describe, expect, test } from 'vitest';

describe('PRES-ONE: passes', { meta: { requirementId: 'PRES-ONE' } }, () => {
  test('first', () => expect(1).toBe(1));
  test('second', () => expect(2).toBe(2));
});

describe('PRES-TWO: fails', { meta: { requirementId: 'PRES-TWO' } }, () => {
  test('third', () => expect(3).toBe(4));
});
