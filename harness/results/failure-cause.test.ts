import { describe, expect, it } from 'vitest';
import type { Exchange, Violation } from '../story/client/recorder.js';
import { exchangesNamedIn } from '../story/client/recorder.js';
import { BUSY, BUSY_FLAG } from '../story/presence/busy.js';
import { aggregate } from './aggregate.js';
import { collectedTest } from './collected-test.fixture.js';
import { failureCause } from './failure-cause.js';
import { referenceWithCauses } from './reference-causes.fixture.js';

const exchange = (seq: number, method: string, path: string, status: number, requestBody?: unknown, responseBody?: unknown): Exchange => ({
  seq, actor: 'alice', method, path, status, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1,
  ...(requestBody === undefined ? {} : { requestBody }), ...(responseBody === undefined ? {} : { responseBody }),
});
const STATUS = '/_matrix/client/v3/presence/%40alice%3Ax/status';
const put = (seq: number, presence: string, status = 200) => exchange(seq, 'PUT', STATUS, status, { presence }, {});
const get = (seq: number, body: unknown) => exchange(seq, 'GET', STATUS, 200, undefined, body);
const violation = (requirementId: string, exchangeSeq: number, payload: unknown): Violation => ({ requirementId, message: 'm', exchangeSeq, payload });
const event = (content: Record<string, unknown>) => ({ type: 'm.presence', sender: '@alice:x', content });

describe("a failing test's cause, from its evidence", () => {
  it("is the value outside the enum a PUT named in the failure set and had accepted", () => {
    const evidence = { exchanges: [put(1, 'online'), put(2, 'free_for_chat')], violations: [] };
    const message = 'AssertionError: [#2 alice] PUT /status -> 200 {}: expected 200 to be greater than or equal to 400';
    expect(failureCause('PRES-FFC-PUT', { message, payloadEntry: false }, evidence)).toEqual({ kind: 'presence-outside-enum', value: '"free_for_chat"', seen: 'accepted' });
  });

  it('is none when the named PUT was refused, or the named exchange carries no such value', () => {
    const refused = { exchanges: [put(3, 'free_for_chat', 400)], violations: [] };
    expect(failureCause('PRES-FFC-ERRCODE', { message: '[#3 alice] PUT /status -> 400 {"errcode":"M_UNKNOWN"}', payloadEntry: false }, refused)).toBeUndefined();
    const plain = { exchanges: [get(4, { presence: 'online' })], violations: [] };
    expect(failureCause('PRES-PUT-ROUNDTRIP', { message: '[#4 alice] GET /status -> 200', payloadEntry: false }, plain)).toBeUndefined();
  });

  it('takes set_presence of a sync, and a GET body', () => {
    const evidence = { exchanges: [exchange(8, 'GET', '/_matrix/client/v3/sync?timeout=0&set_presence=free_for_chat', 200), get(9, { presence: 'free_for_chat' })], violations: [] };
    expect(failureCause('PRES-FFC-SYNC', { message: '[#8 alice] GET /sync -> 200\n[#9 alice] GET /status -> 200', payloadEntry: false }, evidence)?.value).toBe('"free_for_chat"');
    // Only a GET body with no request of the test setting it: given out, another cause.
    expect(failureCause('PRES-X', { message: '[#9 alice] GET /status -> 200', payloadEntry: false }, { exchanges: [get(9, { presence: 'busy' })], violations: [] })).toEqual({ kind: 'presence-outside-enum', value: '"busy"', seen: 'given' });
  });

  it('is none when the failure names two different values', () => {
    const evidence = { exchanges: [put(1, 'free_for_chat'), put(2, 'away')], violations: [] };
    expect(failureCause('PRES-X', { message: '[#1 alice] PUT /s -> 200 [#2 alice] PUT /s -> 200', payloadEntry: false }, evidence)).toBeUndefined();
  });

  it("of a payload entry: the value, when every violation of the requirement rests on it whatever valid state replaces it", () => {
    const ffc = event({ presence: 'free_for_chat', last_active_ago: 20 });
    const evidence = { exchanges: [], violations: [violation('PRES-STATE-ENUM', 5, ffc), violation('PRES-SCHEMA-EVENT', 5, ffc), violation('PRES-FFC-EMIT', 5, ffc)] };
    for (const id of ['PRES-STATE-ENUM', 'PRES-SCHEMA-EVENT', 'PRES-FFC-EMIT']) expect(failureCause(id, { payloadEntry: true }, evidence)).toEqual({ kind: 'presence-outside-enum', value: '"free_for_chat"', seen: 'given' });
  });

  it('of a payload entry: none when a violation would stay with a valid state (currently_active beside "", a last_active_ago before the run)', () => {
    const odd = { presence: '', currently_active: true };
    expect(failureCause('PRES-CA-ONLINE-ONLY', { payloadEntry: true }, { exchanges: [], violations: [violation('PRES-CA-ONLINE-ONLY', 7, odd)] })).toBeUndefined();
    const old = { presence: 'free_for_chat', last_active_ago: 10 ** 12 };
    expect(failureCause('PRES-LAA-FORMAT', { payloadEntry: true }, { exchanges: [], violations: [violation('PRES-LAA-FORMAT', 7, old)] })).toBeUndefined();
    // One violation on the value, one not: no single cause.
    const schema = [violation('PRES-SCHEMA-GET', 7, { presence: '' }), violation('PRES-SCHEMA-GET', 8, { presence: 'online', last_active_ago: -1 })];
    expect(failureCause('PRES-SCHEMA-GET', { payloadEntry: true }, { exchanges: [], violations: schema })).toBeUndefined();
  });

  it('a failure naming no exchange rests on its own violations of its requirement', () => {
    const evidence = { exchanges: [], violations: [violation('PRES-SCHEMA-GET', 7, { presence: '' }), violation('PRES-STATE-ENUM', 9, { presence: 'away' })] };
    expect(failureCause('PRES-SCHEMA-GET', { message: 'AssertionError: expected [ …(1) ] to deeply equal []', payloadEntry: false }, evidence)?.value).toBe('""');
    expect(failureCause('PRES-IDLE-AUTO', { message: 'ConformanceFailure: timed out', payloadEntry: false }, evidence)).toBeUndefined();
  });

  it("leaves out the state of an unstable feature the test's /versions advertised", () => {
    const versions = exchange(1, 'GET', '/_matrix/client/versions', 200, undefined, { versions: ['v1.11'], unstable_features: { [BUSY_FLAG]: true } });
    const message = '[#2 alice] PUT /status -> 200 {}';
    expect(failureCause('PRES-TENT-BUSY-SET', { message, payloadEntry: false }, { exchanges: [versions, put(2, BUSY)], violations: [] })).toBeUndefined();
    expect(failureCause('PRES-TENT-BUSY-REFUSED', { message, payloadEntry: false }, { exchanges: [put(2, BUSY)], violations: [] })?.value).toBe(JSON.stringify(BUSY));
  });

  it('reads the exchanges a message names, whoever sent them', () => {
    expect(exchangesNamedIn('[#38 alice] PUT /x -> 200 {}\n[#9 bob#2] GET /y -> 404 [#38 alice] PUT /x')).toEqual([38, 9]);
    expect(exchangesNamedIn('[#11 federation 127.0.0.1:1 -> 127.0.0.1:2 (injected by the harness)] PUT /send -> 200')).toEqual([11]);
    expect(exchangesNamedIn('expected [ 1 ] to equal [#3]')).toEqual([]);
  });
});

describe('aggregate', () => {
  it("sets the cause on a failing test and on a payload entry, never on a test that did not fail", () => {
    const ffc = { presence: 'free_for_chat' };
    const evidence = { exchanges: [put(2, 'free_for_chat'), get(3, ffc)], violations: [violation('PRES-STATE-ENUM', 3, ffc)] };
    const message = '[#2 alice] PUT /status -> 200 {}';
    const out = aggregate(
      [
        collectedTest('PRES-FFC-PUT', { verdict: 'fail', message, evidence }),
        collectedTest('PRES-FFC-ERRCODE', { verdict: 'error', message, evidence: { ...evidence, violations: [] } }),
      ],
      ['PRES-STATE-ENUM', 'PRES-FFC-PUT', 'PRES-FFC-ERRCODE'],
      () => 'evidence/x/y.json',
      'not run',
    );
    const cause = { kind: 'presence-outside-enum', value: '"free_for_chat"', seen: 'accepted' };
    expect(out.map((r) => [r.id, r.tests.map((t) => t.cause)])).toEqual([
      ['PRES-STATE-ENUM', [cause]],
      ['PRES-FFC-PUT', [cause]],
      ['PRES-FFC-ERRCODE', [undefined]],
    ]);
  });
});

describe('causes derived from the committed reference runs', () => {
  const causes = async (name: string) =>
    (await referenceWithCauses(name)).requirements.flatMap((r) => r.tests.filter((t) => t.cause).map((t) => `${r.id} ${t.cause!.seen} ${t.cause!.value}`));

  it("tuwunel: every failure of the free_for_chat it accepts, and nothing else", async () => {
    const found = new Set(await causes('tuwunel'));
    expect([...found].sort()).toEqual(
      ['PRES-FFC-EMIT', 'PRES-FFC-PUT', 'PRES-FFC-SYNC', 'PRES-FFC-SYNC-ERRCODE', 'PRES-SCHEMA-EVENT', 'PRES-SCHEMA-GET', 'PRES-STATE-ENUM', 'PRES-TENT-SSS-UNKNOWN'].map((id) => `${id} accepted "free_for_chat"`),
    );
  });

  it('Synapse: only its sliding sync taking free_for_chat; behind a pair, the free_for_chat of an EDU is given out, not accepted', async () => {
    expect(await causes('synapse')).toEqual(['PRES-TENT-SSS-UNKNOWN accepted "free_for_chat"']);
    expect(await causes('synapse+synapse')).toEqual(expect.arrayContaining(['PRES-FFC-EMIT given "free_for_chat"', 'PRES-TENT-SSS-UNKNOWN accepted "free_for_chat"']));
  });
});
