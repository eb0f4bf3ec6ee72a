import type { Results } from '../results/model.js';

/**
 * The requirements of a run whose `error` is explained by another
 * requirement's failure in the same run: every test that ended in error was
 * inconclusive, naming (`see`) a requirement the run failed. PRES-TENT-SSS-IDLE
 * on Synapse is one: its opening needs a sliding sync to mark her online,
 * which Synapse's sliding sync never does (PRES-TENT-SSS-DEFAULT fails). Any
 * other error is unexplained: the tests that hold a run to "no error" hold
 * it to none of those.
 */
export function errorsByCause(results: Results): { explained: string[]; unexplained: string[] } {
  const failed = new Set(results.requirements.filter((r) => r.verdict === 'fail').map((r) => r.id));
  const explained: string[] = [];
  const unexplained: string[] = [];
  for (const r of results.requirements.filter((req) => req.verdict === 'error')) {
    const errors = r.tests.filter((t) => t.verdict === 'error');
    const byFailure = errors.length > 0 && errors.every((t) => t.inconclusive?.see !== undefined && failed.has(t.inconclusive.see));
    if (byFailure) explained.push(r.id);
    else unexplained.push(`${r.id}: ${errors.map((t) => t.message).join(' | ')}`);
  }
  return { explained: explained.sort(), unexplained };
}
