import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { NOT_COVERED } from '../results/aggregate.js';
import type { CollectedTest, InconclusiveCause, Verdict } from '../results/model.js';
import { timedOutAfterMs } from '../story/story-limit.js';

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
  /** Tests vitest collected to run, by id, until they give a result. */
  private readonly unfinished = new Map<string, { requirementId: string; name: string; fullName: string }>();
  /** When each collected result arrived (epoch ms). */
  private readonly arrivals = new Map<CollectedTest, number>();

  /** Ignores results from now on (an interrupted run keeps only what finished before). */
  close(): void {
    this.closed = true;
  }

  /**
   * The target went away (a dead homeserver, a url that stopped answering):
   * ignores results from now on, and records as `error` with `cause` every
   * test not finished, every fail or error given since `since` (a test that
   * ended with a refused connection, or timed out polling a dead server),
   * and each requirement of `inScope` no test of which was even collected.
   * Passes and skips stay: a pass was seen on a live server.
   */
  lose(cause: string, since: number, inScope: readonly string[]): void {
    if (this.closed) return;
    this.closed = true;
    const message = `could not finish: ${cause}`;
    const lost = (test: Pick<CollectedTest, 'requirementId' | 'name' | 'fullName'>): CollectedTest => ({ ...test, verdict: 'error', durationMs: 0, message });
    for (const [i, test] of this.tests.entries()) {
      if ((test.verdict === 'fail' || test.verdict === 'error') && (this.arrivals.get(test) ?? 0) >= since) this.tests[i] = { ...lost(test), startedAt: test.startedAt, durationMs: test.durationMs, evidence: test.evidence };
    }
    for (const test of this.unfinished.values()) this.tests.push(lost(test));
    this.unfinished.clear();
    const seen = new Set(this.tests.map((t) => t.requirementId));
    for (const id of inScope) {
      if (!seen.has(id) && !NOT_COVERED[id]) this.tests.push(lost({ requirementId: id, name: '(not run)', fullName: `${id} (not run)` }));
    }
  }

  onTestModuleCollected(testModule: TestModule): void {
    for (const test of testModule.children.allTests()) {
      const requirementId = test.meta().requirementId;
      // Tests --only filters out are collected as skipped: not part of the run.
      if (!requirementId || test.options.mode === 'skip' || test.options.mode === 'todo') continue;
      this.unfinished.set(test.id, { requirementId, name: test.name, fullName: test.fullName });
    }
  }

  onTestCaseResult(testCase: TestCase): void {
    if (this.closed) return;
    const meta = testCase.meta();
    const result = testCase.result();
    if (result.state === 'pending') return;
    this.unfinished.delete(testCase.id);
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
    } else if (meta.stopped && timedOutAfterMs(result.errors?.[0]?.message) !== undefined) {
      // The harness's own limit stopped the story: an error, said in one line.
      verdict = 'error';
      message = meta.stopped;
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
    const collected: CollectedTest = {
      requirementId,
      name: testCase.name,
      fullName: testCase.fullName,
      verdict,
      startedAt: diagnostic ? new Date(diagnostic.startTime).toISOString() : undefined,
      // Vitest gives no diagnostic for a skipped test; a slow one records how long its set-up ran.
      durationMs: Math.round(diagnostic?.duration ?? meta.slow?.afterMs ?? meta.rateLimited?.afterMs ?? 0),
      message,
      ...(inconclusive ? { inconclusive } : {}),
      ...(verdict === 'skip' && meta.slow ? { slow: meta.slow } : {}),
      ...(verdict === 'skip' && meta.rateLimited ? { rateLimited: meta.rateLimited } : {}),
      evidence: meta.evidence,
    };
    this.tests.push(collected);
    this.arrivals.set(collected, Date.now());
  }
}

/** The cause of an `Inconclusive` as vitest serialised it (own properties survive). */
function inconclusiveCause(error: { name?: string; message?: string; [key: string]: unknown }): InconclusiveCause | undefined {
  if (error.name !== 'Inconclusive') return undefined;
  const reason = typeof error.reason === 'string' ? error.reason : (error.message ?? '').split('\n')[0]!.replace(/^inconclusive: /, '');
  return typeof error.see === 'string' ? { reason, see: error.see } : { reason };
}
