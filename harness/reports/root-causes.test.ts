import { describe, expect, it } from 'vitest';
import type { FailureCause, RequirementResult, TestResult } from '../results/model.js';
import { referenceWithCauses } from '../results/reference-causes.fixture.js';
import { causeText, groupOf, rootCauseGroups, shortIds } from './root-causes.js';

const FFC: FailureCause = { kind: 'presence-outside-enum', value: '"free_for_chat"', seen: 'accepted' };
const test = (verdict: TestResult['verdict'], cause?: FailureCause): TestResult => ({ name: 't', verdict, durationMs: 1, ...(cause ? { cause } : {}) });
const requirement = (id: string, verdict: RequirementResult['verdict'], tests: TestResult[]): RequirementResult => ({ id, level: 'MUST', area: 'states', title: id, verdict, tests });

describe('root-cause groups', () => {
  it('group the failing requirements whose failing tests all rest on one cause', () => {
    const groups = rootCauseGroups([
      requirement('PRES-A', 'fail', [test('fail', FFC), test('pass')]),
      requirement('PRES-B', 'fail', [test('fail', FFC), test('fail', FFC)]),
      // Another failure beside the cause: it stays on its own line.
      requirement('PRES-C', 'fail', [test('fail', FFC), test('fail')]),
      // Not a failure: an error keeps its own reason, whatever its tests say.
      requirement('PRES-D', 'error', [test('error', FFC)]),
      requirement('PRES-E', 'fail', [test('fail', { ...FFC, seen: 'given' })]),
    ]);
    expect(groups).toEqual([{ key: 'presence-outside-enum:accepted:"free_for_chat"', text: causeText(FFC), requirements: ['PRES-A', 'PRES-B'] }]);
    expect(groupOf(groups, 'PRES-B')?.n).toBe(1);
    expect(groupOf(groups, 'PRES-C')).toBeUndefined();
  });

  it('are no group for a cause of one requirement', () => {
    expect(rootCauseGroups([requirement('PRES-A', 'fail', [test('fail', FFC)]), requirement('PRES-B', 'fail', [test('fail')])])).toEqual([]);
  });

  it('say what the server did, for people', () => {
    expect(causeText(FFC)).toBe('the server accepts presence "free_for_chat" (not one of online, unavailable, offline) from clients');
    expect(causeText({ ...FFC, value: '""', seen: 'given' })).toBe('the server gives out presence "" (not one of online, unavailable, offline) that no client set');
    expect(causeText({ ...FFC, value: JSON.stringify('x'.repeat(500)) })).toBe(`the server accepts presence "${'x'.repeat(79)}… (not one of online, unavailable, offline) from clients`);
    expect(shortIds(['PRES-STATE-ENUM', 'PRES-FFC-PUT', 'PRES-TENT-SSS-UNKNOWN'])).toBe('PRES-STATE-ENUM, -FFC-PUT, -TENT-SSS-UNKNOWN');
  });
});

describe('root-cause groups of the committed reference runs', () => {
  const groups = async (name: string) => rootCauseGroups((await referenceWithCauses(name)).requirements).map((g) => `${g.text}: ${shortIds(g.requirements)}`);

  it("tuwunel: its free_for_chat failures are one group", async () => {
    expect(await groups('tuwunel')).toEqual([
      'the server accepts presence "free_for_chat" (not one of online, unavailable, offline) from clients: PRES-STATE-ENUM, -FFC-PUT, -FFC-SYNC, -FFC-SYNC-ERRCODE, -FFC-EMIT, -SCHEMA-EVENT, -SCHEMA-GET, -TENT-SSS-UNKNOWN',
    ]);
  });

  it('Dendrite: the "" it gives out, behind the enum and the GET schema; nothing else grouped', async () => {
    const dendrite = ['the server gives out presence "" (not one of online, unavailable, offline) that no client set: PRES-STATE-ENUM, -SCHEMA-GET'];
    expect(await groups('dendrite')).toEqual(dendrite);
    expect(await groups('dendrite+synapse')).toEqual(dendrite);
  });

  it('Synapse: no group, alone or federating (an EDU passed on and a sliding sync that takes the value are two faults)', async () => {
    for (const name of ['synapse', 'synapse+synapse', 'synapse+dendrite', 'synapse+tuwunel']) expect(await groups(name), name).toEqual([]);
  });
});
