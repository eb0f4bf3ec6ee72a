import { describe, expect, it } from 'vitest';
import { FEDERATION_MUTANTS } from '../../selfcheck/mutants/federation.js';
import { MUTANTS } from '../../selfcheck/mutants/catalogue.js';
import { selectMutants } from './selfcheck.js';

describe('--only-mutant', () => {
  it('selects every mutant and the presence-disabled stage when absent', () => {
    expect(selectMutants(undefined)).toEqual({ mutants: MUTANTS, stage: true });
  });

  it('takes names, and a name ending in * as a prefix', () => {
    expect(selectMutants('fed-*').mutants).toEqual(FEDERATION_MUTANTS);
    expect(selectMutants('fed-*')).toMatchObject({ stage: false });
    expect(selectMutants('put-other-user, synapse-presence-disabled')).toEqual({ mutants: [MUTANTS.find((m) => m.name === 'put-other-user')], stage: true });
  });

  it('refuses a name or pattern that selects nothing', () => {
    expect(() => selectMutants('fed-nothing')).toThrow('unknown mutant fed-nothing; see --list-mutants');
    expect(() => selectMutants('zzz*')).toThrow('unknown mutant zzz*');
  });
});
