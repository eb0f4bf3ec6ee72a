import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { REQUIREMENTS } from '../catalogue.js';
import { RESULTS_SCHEMA_VERSION } from '../results/model.js';
import { readResultsFile, RESULTS_SCHEMA, resultsSchemaErrors } from './results-schema.js';
import { fixtureResults } from './test-fixture.js';
import { referenceWithCauses } from '../results/reference-causes.fixture.js';

// Written by `presence-conformance run --only PRES-FFC` against the embedded Synapse and committed as is.
const REAL = new URL('../../fixtures/results/synapse-ffc/results.json', import.meta.url);

describe('docs/results.schema.json', () => {
  test('accepts a results.json written by a real run', async () => {
    const real = JSON.parse(await readFile(REAL, 'utf8'));
    expect(resultsSchemaErrors(real)).toEqual([]);
    expect(real.requirements.length).toBeGreaterThan(0);
    await expect(readResultsFile(REAL.pathname)).resolves.toMatchObject({ schemaVersion: RESULTS_SCHEMA_VERSION });
  });

  test('accepts the writers\' fixture, which has every verdict and level', () => {
    expect(resultsSchemaErrors(fixtureResults())).toEqual([]);
  });

  test("accepts the tests' derived causes (tuwunel's reference run, causes derived from its evidence)", async () => {
    const results = await referenceWithCauses('tuwunel');
    expect(results.requirements.some((r) => r.tests.some((t) => t.cause))).toBe(true);
    expect(resultsSchemaErrors(results)).toEqual([]);
  });

  test('rejects what a reader could not rely on', () => {
    const broken = (edit: (r: ReturnType<typeof fixtureResults>) => unknown) => {
      const r = fixtureResults();
      edit(r);
      return resultsSchemaErrors(r);
    };
    expect(broken((r) => delete (r as Partial<typeof r>).schemaVersion)).toEqual(["/ must have required property 'schemaVersion'"]);
    expect(broken((r) => (r.schemaVersion = 2))).toContain('/schemaVersion must be equal to constant');
    expect(broken((r) => ((r.requirements[0] as { verdict: string }).verdict = 'passed'))[0]).toMatch(/^\/requirements\/0\/verdict must be equal to one of the allowed values/);
    expect(broken((r) => ((r.requirements[0]!.tests[0] as { evidence: string }).evidence = '../../etc/passwd'))[0]).toMatch(/^\/requirements\/0\/tests\/0\/evidence must match pattern/);
    expect(broken((r) => ((r as unknown as Record<string, unknown>).extra = 1))).toEqual(['/ must NOT have additional properties']);
    expect(broken((r) => ((r.requirements[1]!.tests[0]!.cause as unknown) = { kind: 'presence-outside-enum', value: '"x"', seen: 'heard' }))[0]).toMatch(/^\/requirements\/1\/tests\/0\/cause\/seen must be equal to one of the allowed values/);
  });

  test('matches the model: schema version, levels and areas of the catalogue', () => {
    const defs = RESULTS_SCHEMA.definitions.requirement.properties;
    expect(RESULTS_SCHEMA.properties.schemaVersion.const).toBe(RESULTS_SCHEMA_VERSION);
    expect([...defs.level.enum].sort()).toEqual([...new Set(REQUIREMENTS.map((r) => r.level))].sort());
    expect([...defs.area.enum].sort()).toEqual([...new Set(REQUIREMENTS.map((r) => r.area))].sort());
    for (const r of REQUIREMENTS) expect(r.id).toMatch(new RegExp(defs.id.pattern));
  });
});
