import { describe, expect, it } from 'vitest';
import { printSummary } from '../cli/summary.js';
import { notCheckedNote } from '../reports/report-input.js';
import { aggregate } from './aggregate.js';
import { collectedTest } from './collected-test.fixture.js';
import { gate } from './gate.js';
import type { CollectedTest, Results } from './model.js';

const LIMITED = { limit: 'POST /_matrix/client/v3/login (M_LIMIT_EXCEEDED)', retryAfterMs: 240_000, waitedMs: 0, maxWaitMs: 150_000, afterMs: 800 };
const test = collectedTest;
const limited = (requirementId: string, name = 'limited story'): CollectedTest =>
  test(requirementId, { name, verdict: 'skip', message: `rate-limited: ${LIMITED.limit}, retry after 240 s`, rateLimited: LIMITED });

describe('requirements a rate limit left unchecked', () => {
  const tests = [
    limited('PRES-IDLE-AUTO', 'second device'),
    test('PRES-IDLE-WAKE', { name: 'manual' }),
    limited('PRES-IDLE-WAKE', 'second device'),
    limited('PRES-PUT-ROUNDTRIP'),
  ];
  const ids = ['PRES-IDLE-AUTO', 'PRES-IDLE-WAKE', 'PRES-PUT-ROUNDTRIP'];
  const requirements = aggregate(tests, ids, () => undefined, 'not run');
  const byId = (id: string) => requirements.find((r) => r.id === id)!;

  it('is a skip marked not checked: rate-limited, never fail or error, and gates like a slow skip', () => {
    expect(byId('PRES-IDLE-AUTO')).toMatchObject({ verdict: 'skip', notChecked: 'rate-limited' });
    expect(byId('PRES-IDLE-AUTO').tests[0]).toMatchObject({ verdict: 'skip', skipReason: 'rate-limited' });
    expect(byId('PRES-IDLE-WAKE')).toMatchObject({ verdict: 'pass' });
    const outcome = gate(requirements, { failOn: 'must' });
    expect(outcome).toMatchObject({ exitCode: 0, notChecked: ['PRES-PUT-ROUNDTRIP', 'PRES-IDLE-AUTO'], partlyChecked: ['PRES-IDLE-WAKE'], errors: [] });
  });

  it('every report says why: the note names the rate limit, the console prints the shared limit once', () => {
    const results: Results = {
      schemaVersion: 1,
      tool: { name: 't', version: '0' },
      target: { kind: 'url', baseUrl: 'http://127.0.0.1:1', serverName: 'hs', serverVersion: 'Synapse' },
      seed: 1,
      startedAt: new Date(0).toISOString(),
      durationMs: 1,
      maxWaitMs: 150_000,
      requirements,
    };
    const outcome = gate(requirements, { failOn: 'must' });
    expect(notCheckedNote({ results, gate: outcome })).toMatch(/2 MUST requirements were not checked because the server rate-limited a step \(its wait over --max-wait 150 s\): PRES-PUT-ROUNDTRIP, PRES-IDLE-AUTO; 1 more passed with rate-limited tests skipped: PRES-IDLE-WAKE$/);
    const lines: string[] = [];
    printSummary({ results, gate: outcome }, (line) => lines.push(line));
    expect(lines.filter((l) => l.includes('retry after 240 s'))).toHaveLength(1);
    expect(lines.find((l) => l.includes(' PRES-IDLE-AUTO'))).toMatch(/^ {2}RATE MUST +PRES-IDLE-AUTO +cause 1 \(below\)/);
    expect(lines).toContain('requirements: 1 pass, 0 fail, 0 error, 2 skip (2 of the skips not checked: rate-limited)');
    expect(lines.at(-1)).toMatch(/gate: passed, 2 MUST requirements not checked \(rate-limited\)/);
  });
});
