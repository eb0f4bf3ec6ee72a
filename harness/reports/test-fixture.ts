/**
 * Test-only: a hand-made run covering every verdict, level and report
 * section, with hostile server-provided text in every place a server can put
 * text, and the evidence files such a run leaves. Used by the writers' tests.
 */
import { gate, type Expectations } from '../results/gate.js';
import { RESULTS_SCHEMA_VERSION, type EvidenceFile, type Results } from '../results/model.js';
import type { ReportInput } from './report-input.js';
import { requirementById, type RequirementId } from '../catalogue.js';

/** A result's copy of its requirement's catalogue facts, from the catalogue (not typed out again). */
function about(id: RequirementId) {
  const { level, area, title } = requirementById(id);
  return { id, level, area, title };
}

/** Markup a hostile or broken server might send; must never be live in a report. */
export const HOSTILE = `<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script> & "quotes" 'single' | pipe \`tick\` *star* [link](javascript:alert(1)) \u0001ctl`;

export const FAILING_EVIDENCE = 'evidence/PRES-FFC-PUT/put-free-for-chat-is-refused.json';
export const ERROR_EVIDENCE = 'evidence/PRES-IDLE-AUTO/goes-unavailable.json';
export const PASSING_EVIDENCE = 'evidence/PRES-STATE-ENUM/states-are-in-the-enum.json';

/** A marker that appears only in the passing test's evidence, which reports must leave out. */
export const PASSING_ONLY_MARKER = 'only-in-passing-evidence-5f3a';

export const EXPECTATIONS: Expectations = {
  server: 'Fixture Server',
  expectedFailures: [
    { id: 'PRES-FFC-ERRCODE', reason: 'answers M_UNKNOWN; upstream issue 1234' },
    { id: 'PRES-PUT-ROUNDTRIP', reason: 'was broken in 1.0' },
  ],
};

export function fixtureResults(): Results {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'matrix-presence-conformance', version: '0.1.0' },
    target: { kind: 'url', baseUrl: 'http://127.0.0.1:8008', serverName: 'fixture.localhost', serverVersion: `Fixture ${HOSTILE} 1.0` },
    seed: 42,
    startedAt: '2026-01-02T03:04:05.678Z',
    durationMs: 12_345,
    requirements: [
      {
        ...about('PRES-STATE-ENUM'), verdict: 'pass',
        tests: [{ name: 'states are in the enum', verdict: 'pass', durationMs: 120, evidence: PASSING_EVIDENCE }],
      },
      {
        ...about('PRES-FFC-PUT'), verdict: 'fail',
        tests: [
          { name: 'PUT free_for_chat is refused', verdict: 'fail', durationMs: 250, message: `AssertionError: [#2 alice] PUT /status -> 200 ${HOSTILE}\nsecond line of the message`, evidence: FAILING_EVIDENCE },
          { name: 'online stays online', verdict: 'pass', durationMs: 90 },
        ],
      },
      {
        ...about('PRES-FFC-ERRCODE'), verdict: 'fail',
        tests: [{ name: 'errcode names a bad value', verdict: 'fail', durationMs: 80, message: 'AssertionError: expected M_UNKNOWN to be M_INVALID_PARAM' }],
      },
      {
        ...about('PRES-PUT-ROUNDTRIP'), verdict: 'pass',
        tests: [{ name: 'round trip', verdict: 'pass', durationMs: 300 }],
      },
      {
        ...about('PRES-IDLE-AUTO'), verdict: 'error',
        tests: [{ name: 'goes unavailable', verdict: 'error', durationMs: 5000, message: 'Error: socket hang up', evidence: ERROR_EVIDENCE }],
      },
      {
        ...about('PRES-CA-OFFERED'), verdict: 'skip',
        tests: [{ name: 'currently_active is offered', verdict: 'skip', durationMs: 0, message: 'the server never sent currently_active' }],
      },
      {
        ...about('PRES-FED-SHARED'), verdict: 'skip',
        tests: [{ name: '(no test ran)', verdict: 'skip', durationMs: 0, message: 'not covered: the federation suite is not implemented' }],
      },
    ],
  };
}

/** The fixture run with its gate decided by the real gate against EXPECTATIONS. */
export function fixtureInput(withExpectations = true): ReportInput {
  const results = fixtureResults();
  const expectations = withExpectations ? EXPECTATIONS : undefined;
  return { results, expectations, gate: gate(results.requirements, { failOn: 'must', expectations }) };
}

function evidence(test: string, verdict: EvidenceFile['verdict'], extra: Partial<EvidenceFile>): EvidenceFile {
  return { test, verdict, violations: [], exchanges: [], ...extra };
}

/** The evidence a run of the fixture would have collected, keyed by path. */
export function fixtureEvidence(): Map<string, EvidenceFile> {
  const files: Record<string, EvidenceFile> = {
    [FAILING_EVIDENCE]: evidence('PRES-FFC-PUT > PUT free_for_chat is refused', 'fail', {
      lastObserved: { presence: 'free_for_chat', status_msg: HOSTILE },
      violations: [{ requirementId: 'PRES-FFC-EMIT', message: `free_for_chat in payload ${HOSTILE}`, exchangeSeq: 2, payload: { presence: 'free_for_chat' } }],
      exchanges: [
        { seq: 1, actor: 'harness', method: 'POST', path: '/_synapse/admin/v1/register', status: 200, requestBody: { username: 'alice', password: '<redacted>' }, responseBody: { access_token: '<redacted>' }, startedAt: '2026-01-02T03:04:06.000Z', durationMs: 40 },
        { seq: 2, actor: 'alice', method: 'PUT', path: '/_matrix/client/v3/presence/%40alice%3Afixture.localhost/status', status: 200, requestBody: { presence: 'free_for_chat' }, responseBody: { note: HOSTILE }, startedAt: '2026-01-02T03:04:06.100Z', durationMs: 12 },
      ],
    }),
    [ERROR_EVIDENCE]: evidence('PRES-IDLE-AUTO > goes unavailable', 'error', {
      exchanges: [{ seq: 1, actor: 'bob', method: 'GET', path: '/_matrix/client/v3/sync?timeout=30000', status: 0, startedAt: '2026-01-02T03:04:07.000Z', durationMs: 5000 }],
    }),
    [PASSING_EVIDENCE]: evidence('PRES-STATE-ENUM > states are in the enum', 'pass', {
      exchanges: [{ seq: 1, actor: 'alice', method: 'GET', path: '/_matrix/client/v3/presence/x/status', status: 200, responseBody: { presence: 'online', status_msg: PASSING_ONLY_MARKER }, startedAt: '2026-01-02T03:04:08.000Z', durationMs: 5 }],
    }),
  };
  return new Map(Object.entries(files));
}
