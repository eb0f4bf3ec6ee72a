import type { Reporter, TestCase } from 'vitest/node';
import type { CollectedTest, InconclusiveCause, Verdict } from '../results/model.js';

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
    let inconclusive: InconclusiveCause | undefined;
    if (result.state === 'passed') verdict = 'pass';
    else if (result.state === 'skipped') {
      verdict = 'skip';
      message = result.note;
      // Filtered out by --only: not part of this run at all.
      if (!message && !meta.evidence) return;
    } else {
      const error = result.errors?.[0];
      verdict = error && FAILURE_NAMES.has(error.name ?? '') ? 'fail' : 'error';
      inconclusive = error ? inconclusiveCause(error) : undefined;
      // An inconclusive message already says what it is ("inconclusive: ..., see PRES-X").
      const text = inconclusive ? (error?.message ?? '') : `${error?.name ?? 'Error'}: ${error?.message ?? ''}`;
      // Not redacted here: the report writer redacts everything once on the way out, with the same secrets.
      message = error ? text.split('\n').slice(0, 8).join('\n') : undefined;
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
      ...(inconclusive ? { inconclusive } : {}),
      ...(verdict === 'skip' && meta.slow ? { slow: meta.slow } : {}),
      evidence: meta.evidence,
    });
  }
}

/** The cause of an `Inconclusive` as vitest serialised it (own properties survive). */
function inconclusiveCause(error: { name?: string; message?: string; [key: string]: unknown }): InconclusiveCause | undefined {
  if (error.name !== 'Inconclusive') return undefined;
  const reason = typeof error.reason === 'string' ? error.reason : (error.message ?? '').split('\n')[0]!.replace(/^inconclusive: /, '');
  return typeof error.see === 'string' ? { reason, see: error.see } : { reason };
}
