import type { Reporter, TestCase } from 'vitest/node';
import type { CollectedTest, Verdict } from '../results/model.js';
import { redactText } from '../redact.js';

// Errors of these names mean the server misbehaved; anything else means the
// harness could not complete the check.
const FAILURE_NAMES = new Set(['AssertionError', 'ConformanceFailure']);

/**
 * A vitest reporter that keeps each test's outcome as soon as it is known, so
 * an interrupted run can still write what it has.
 */
export class ResultCollector implements Reporter {
  readonly tests: CollectedTest[] = [];

  private closed = false;

  /** Ignores results from now on (an interrupted run keeps only what finished before). */
  close(): void {
    this.closed = true;
  }

  onTestCaseResult(testCase: TestCase): void {
    if (this.closed) return;
    const meta = testCase.meta();
    const result = testCase.result();
    if (result.state === 'pending') return;
    const requirementId = meta.requirementId;
    if (!requirementId) return;
    let verdict: Verdict;
    let message: string | undefined;
    if (result.state === 'passed') verdict = 'pass';
    else if (result.state === 'skipped') {
      verdict = 'skip';
      message = result.note;
      // Filtered out by --only: not part of this run at all.
      if (!message && !meta.evidence) return;
    } else {
      const error = result.errors?.[0];
      verdict = error && FAILURE_NAMES.has(error.name ?? '') ? 'fail' : 'error';
      message = error ? redactText(`${error.name ?? 'Error'}: ${error.message ?? ''}`.split('\n').slice(0, 8).join('\n')) : undefined;
    }
    const diagnostic = testCase.diagnostic();
    this.tests.push({
      requirementId,
      name: testCase.name,
      fullName: testCase.fullName,
      verdict,
      startedAt: diagnostic ? new Date(diagnostic.startTime).toISOString() : undefined,
      // Vitest gives no diagnostic for a skipped test; a slow one records how long its set-up ran.
      durationMs: Math.round(diagnostic?.duration ?? meta.slow?.afterMs ?? 0),
      message,
      ...(verdict === 'skip' && meta.slow ? { slow: meta.slow } : {}),
      evidence: meta.evidence,
    });
  }
}
