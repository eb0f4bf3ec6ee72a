import { describe, expect, test } from 'vitest';
import { renderSummaryMarkdown } from './summary-md.js';
import { fixtureInput } from './test-fixture.js';

const md = renderSummaryMarkdown(fixtureInput());
const at = (text: string) => {
  const i = md.indexOf(text);
  expect(i, `summary.md lacks ${JSON.stringify(text)}:\n${md}`).toBeGreaterThanOrEqual(0);
  return i;
};

describe('summary.md', () => {
  test('opens with the target, its version and the gate decision', () => {
    expect(md.split('\n')[0]).toMatch(/^## Presence conformance: Fixture .* 1\.0$/);
    at('Target `url` at http://127.0.0.1:8008 (server name fixture.localhost)');
    at('matrix-presence-conformance 0.1.0');
    at('**Gate: FAILED (exit 1)** — failing: [PRES-FFC-PUT](');
    at('could not be checked: [PRES-IDLE-AUTO](');
    at('2 known failures expected');
  });

  test('counts requirements per area, with a total', () => {
    at('| Area | ✅ pass | ❌ fail | ⚠️ error | ⏭️ skip |');
    at('| free-for-chat | 0 | 2 | 0 | 0 |');
    at('| idle-timeout | 0 | 0 | 1 | 0 |');
    at('| **all** | 2 | 2 | 1 | 2 |');
  });

  test('lists MUST failures first, then SHOULD, then unexpected passes, each with a one-line reason', () => {
    const must = at('### MUST failures (2)');
    const should = at('### SHOULD failures (1)');
    const unexpected = at('### Unexpected passes (1)');
    expect(must).toBeLessThan(should);
    expect(should).toBeLessThan(unexpected);
    const mustSection = md.slice(must, should);
    expect(mustSection).toContain('PRES-FFC-PUT');
    expect(mustSection).toContain('could not be checked: Error: socket hang up');
    expect(mustSection).not.toContain('second line of the message');
    expect(md.slice(should, unexpected)).toContain('*(expected failure: answers M\\_UNKNOWN; upstream issue 1234)*');
    expect(md.slice(unexpected)).toContain('[PRES-PUT-ROUNDTRIP](');
    expect(md).not.toContain('PRES-CA-OFFERED'); // a skipped MAY is neither a failure nor news
  });

  test('has no unexpected-passes section without --expect', () => {
    const plain = renderSummaryMarkdown(fixtureInput(false));
    expect(plain).not.toContain('Unexpected passes');
    expect(plain).toContain('**Gate: FAILED (exit 1)** — failing: [PRES-FFC-PUT](');
    expect(plain).not.toContain('expected failure');
  });

  test('a run cut short never reads as passed', () => {
    const input = fixtureInput(false);
    input.results.interrupted = 'SIGINT';
    input.gate = { exitCode: 0, regressions: [], unexpectedPasses: [], errors: [], notChecked: [], partlyChecked: [], flaky: [] };
    const partial = renderSummaryMarkdown(input);
    expect(partial).toContain('> **Partial results:** the run was cut short (SIGINT)');
    expect(partial).toContain('**Gate: INCOMPLETE (the run was cut short)**');
    expect(partial).not.toContain('passed');
  });

  test('server text can neither inject HTML nor break the table or the list', () => {
    expect(md).not.toMatch(/<img|<script|<\/script/);
    expect(md).toContain('&lt;img src=x onerror="window.\\_\\_pwned=1"&gt;');
    expect(md).toContain('\\| pipe \\`tick\\` \\*star\\* \\[link\\](javascript:alert(1))');
    for (const row of md.split('\n').filter((l) => l.startsWith('| '))) expect(row.split(/(?<!\\)\|/).length).toBe(7);
  });
});

describe('summary.md of a run that assumed something about the target', () => {
  test('says what, once each, before the gate', () => {
    const input = fixtureInput();
    input.results.target.assumptions = ['the phase of the server\'s longest periodic presence job (every 60 s) is unknown'];
    const text = renderSummaryMarkdown(input);
    expect(text).toContain('> **Assumed:** the phase of the server\'s longest periodic presence job (every 60 s) is unknown');
    expect(text.indexOf('**Assumed:**')).toBeLessThan(text.indexOf('**Gate:'));
    expect(md).not.toContain('Assumed');
  });
});
