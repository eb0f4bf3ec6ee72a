import { describe, expect, test } from 'vitest';
import { renderJunit } from './junit.js';
import { fixtureInput, fixtureResults } from './test-fixture.js';

const xml = renderJunit(fixtureInput());
const testcases = [...xml.matchAll(/<testcase [^>]*>[\s\S]*?<\/testcase>/g)].map((m) => m[0]);
const caseOf = (name: string) => testcases.find((c) => c.includes(`name="${name}"`)) ?? '';

describe('junit.xml', () => {
  test('has one testcase per test, grouped in one testsuite per area, with matching totals', () => {
    const tests = fixtureResults().requirements.flatMap((r) => r.tests);
    expect(testcases).toHaveLength(tests.length);
    expect(xml).toMatch(/<testsuites [^>]*tests="8" failures="2" errors="1" skipped="2"/);
    expect([...xml.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual(['states', 'free-for-chat', 'put', 'idle-timeout', 'currently-active', 'federation']);
    expect(xml).toMatch(/<testsuite name="free-for-chat" tests="3" failures="2" errors="0" skipped="0"/);
  });

  test('carries requirement ID, level and spec link as properties of each testcase', () => {
    const c = caseOf('PUT free_for_chat is refused');
    expect(c).toContain('classname="PRES-FFC-PUT"');
    expect(c).toContain('<property name="requirement" value="PRES-FFC-PUT"/>');
    expect(c).toContain('<property name="level" value="MUST"/>');
    expect(c).toContain('<property name="spec" value="https://spec.matrix.org/v1.16/client-server-api/#put_matrixclientv3presenceuseridstatus"/>');
    expect(c).toContain('time="0.250"');
  });

  test('failures carry the message, errors are <error>, skips are <skipped message>, passes have neither', () => {
    const failure = caseOf('PUT free_for_chat is refused');
    expect(failure).toMatch(/<failure message="AssertionError: \[#2 alice\] PUT \/status -&gt; 200 &lt;img[^"]*" type="MUST PRES-FFC-PUT">AssertionError:[\s\S]*second line of the message<\/failure>/);
    expect(caseOf('goes unavailable')).toContain('<error message="Error: socket hang up" type="harness error">Error: socket hang up</error>');
    expect(caseOf('currently_active is offered')).toContain('<skipped message="the server never sent currently_active"/>');
    expect(caseOf('(no test ran)')).toContain('<skipped message="not covered: the federation suite is not implemented"/>');
    expect(caseOf('online stays online')).not.toMatch(/<failure|<error|<skipped/);
  });

  test('escapes server text and drops characters XML cannot carry', () => {
    expect(xml).not.toMatch(/<img|<script|<\/script/);
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain('&lt;script&gt;window.__pwned=2&lt;/script&gt;');
    // The multi-line message stays one attribute value.
    expect(caseOf('PUT free_for_chat is refused')).toMatch(/<failure message="[^"\n]*"/);
  });
});
