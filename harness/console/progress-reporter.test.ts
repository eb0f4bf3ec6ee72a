import type { TestCase, TestModule } from 'vitest/node';
import { describe, expect, it } from 'vitest';
import { ProgressReporter } from './progress-reporter.js';
import { StatusBoard } from './status-board.js';

/** What the reporter reads of vitest's test cases. */
function testCase(id: string, requirementId: string | undefined, mode: 'run' | 'skip' = 'run', state: 'passed' | 'failed' | 'pending' = 'passed'): TestCase {
  return { id, meta: () => ({ requirementId }), options: { mode }, result: () => ({ state }) } as unknown as TestCase;
}

function moduleOf(tests: TestCase[]): TestModule {
  return { children: { allTests: () => tests } } as unknown as TestModule;
}

function setUp() {
  let out = '';
  let now = 1_000_000;
  const board = new StatusBoard({ write: (text: string) => (out += text), isTTY: true, columns: 200 }, () => now);
  const reporter = new ProgressReporter({ label: 'synapse', board, runStartedAt: now - 20_000, expectedMs: 137_000, now: () => now });
  return { reporter, board, line: () => out.split('\r\x1b[K').at(-1) ?? '', out: () => out, at: (ms: number) => (now += ms) };
}

describe('the progress reporter', () => {
  const tests = [testCase('a1', 'PRES-A'), testCase('a2', 'PRES-A'), testCase('b1', 'PRES-B'), testCase('c1', 'PRES-C', 'skip'), testCase('x', undefined)];

  it('counts a requirement judged once every test of it has a result; tests --only left out do not count', () => {
    const { reporter, line } = setUp();
    reporter.onTestRunStart();
    reporter.onTestModuleCollected(moduleOf(tests));
    expect(line()).toBe('[synapse] 0/2 requirements judged, 0:20 elapsed, ETA 2:17');
    reporter.onTestCaseResult(tests[0]!);
    expect(line()).toContain('0/2 requirements judged');
    reporter.onTestCaseResult(testCase('a2', 'PRES-A', 'run', 'pending'));
    expect(line()).toContain('0/2 requirements judged');
    reporter.onTestCaseResult(tests[1]!);
    expect(line()).toContain('1/2 requirements judged');
    reporter.onTestRunEnd();
  });

  it('moves the ETA with the clock from the suites\' start', () => {
    const { reporter, line, at } = setUp();
    reporter.onTestRunStart();
    reporter.onTestModuleCollected(moduleOf(tests));
    at(37_000);
    reporter.onTestCaseResult(tests[2]!);
    expect(line()).toBe('[synapse] 1/2 requirements judged, 0:57 elapsed, ETA 1:40');
    reporter.stop();
  });

  it('drops its line when the run ends and shows nothing after (an interrupted run\'s late results)', () => {
    const { reporter, board, out } = setUp();
    reporter.onTestRunStart();
    reporter.onTestModuleCollected(moduleOf(tests));
    reporter.onTestRunEnd();
    reporter.onTestCaseResult(tests[0]!);
    const before = out();
    board.log('gate: passed');
    expect(out().slice(before.length)).toBe('gate: passed\n');
  });
});
