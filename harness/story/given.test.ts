import { describe, expect, test } from 'vitest';
import { ConformanceFailure, Inconclusive } from './errors.js';
import { given } from './given.js';

describe('given', () => {
  test('a precondition the server did not reach is inconclusive, naming the requirement that explains it', async () => {
    const step = Promise.reject(new ConformanceFailure('timed out after 13000 ms waiting for bob to see alice online'));
    const outcome = given('PRES-VIS-SHARED-SYNC', "alice's change reaches her roommate", step);
    await expect(outcome).rejects.toThrow(Inconclusive);
    await expect(outcome).rejects.toMatchObject({
      name: 'Inconclusive',
      reason: "alice's change reaches her roommate",
      see: 'PRES-VIS-SHARED-SYNC',
      message: expect.stringMatching(/^inconclusive: alice's change reaches her roommate, see PRES-VIS-SHARED-SYNC\ntimed out after 13000 ms/),
    });
  });

  test('a failed expect inside a positive control is inconclusive too', async () => {
    const outcome = given(null, 'the control', async () => {
      expect(1).toBe(2);
    });
    await expect(outcome).rejects.toMatchObject({ name: 'Inconclusive', message: expect.stringMatching(/^inconclusive: the control\n/) });
  });

  test('a harness error passes through unchanged, and a reached precondition gives its value', async () => {
    const bug = new TypeError('undefined is not a function');
    await expect(given(null, 'a step', Promise.reject(bug))).rejects.toBe(bug);
    await expect(given('PRES-PUT-ROUNDTRIP', 'a step', Promise.resolve(42))).resolves.toBe(42);
  });

  test('a requirement ID outside the catalogue is a programming error', async () => {
    // @ts-expect-error a typo in an ID fails tsc; the run-time check covers IDs that bypass the type
    await expect(given('PRES-NOPE', 'a step', Promise.resolve(1))).rejects.toThrow(/unknown requirement ID PRES-NOPE/);
  });
});
