import { closePool, closePools } from '../story/client/http.js';
import { HarnessError } from '../errors.js';
import { gate } from '../results/gate.js';
import { mergeRuns } from '../results/merge-runs.js';
import type { RunRecord } from '../results/model.js';
import { prepareReportFolder, writeReportFolder } from '../reports/report-folder.js';
import type { StartedTarget } from '../targets/target.js';
import { ConformanceRun, type RunOptions, type RunOutcome } from './run.js';
import { TargetOwnership } from './start-target.js';

/** Options of `--repeat N`: those of one run, and how many runs. */
export interface RepeatOptions extends Omit<RunOptions, 'started' | 'report'> {
  /** Runs of the selection, one after the other (at least 2). */
  repeat: number;
}

/**
 * `--repeat N`: starts (or reaches) the target once and runs the selection N
 * times against it, one run after the other, each with its own preflight, run
 * prefix and users; then merges the N runs (`mergeRuns`: worst verdict, per-run
 * verdicts, flaky marks, every run's evidence) and writes one report folder.
 * Stops at the first run that could not complete (its partial results are
 * kept), and when interrupted.
 */
export class RepeatedRun {
  private readonly owned = new TargetOwnership();
  private current: ConformanceRun | undefined;
  private interruption: string | undefined;

  constructor(private readonly options: RepeatOptions) {}

  /** Runs to the end; harness failures are returned (with partial results), not thrown. */
  async execute(): Promise<RunOutcome> {
    const { options } = this;
    await prepareReportFolder(options.reportDir);
    const records: RunRecord[] = [];
    let failure: HarnessError | undefined;
    let target: StartedTarget | undefined;
    try {
      target = await this.owned.start({ target: options.target, url: options.url, container: options.container, binaries: options.binaries, reportDir: options.reportDir, log: options.log });
      const shared: StartedTarget = { ...target, stop: async () => {} };
      for (let run = 1; run <= options.repeat && !this.interruption; run++) {
        options.log(`repeat: run ${run} of ${options.repeat}`);
        const started = Date.now();
        const outcome = await this.runOnce(shared, run);
        records.push(outcome.record);
        options.log(`repeat: run ${run} of ${options.repeat} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
        if (outcome.failure) {
          failure = outcome.failure;
          break;
        }
      }
    } catch (cause) {
      failure = cause instanceof HarnessError ? cause : new HarnessError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      await target?.stop();
      await this.owned.release();
      // Side by side with other runs (RunOptions.alongside): only this target's pools are ours to close.
      if (!options.alongside) await closePools();
      else for (const origin of [target?.baseUrl, target?.peer?.baseUrl]) if (origin) await closePool(origin);
    }
    // Nothing ran (the target could not be started): report it as one run would.
    if (records.length === 0) {
      const cause = failure ?? new HarnessError(`interrupted (${this.interruption ?? 'before the first run'})`);
      const { repeat: _repeat, ...one } = options;
      return { ...(await new ConformanceRun(one).abandon(cause)), failure: cause };
    }
    const merged = mergeRuns(records);
    options.log(`repeat: ${steadyRuns(records)}`);
    if (this.interruption && !merged.results.interrupted) merged.results.interrupted = this.interruption;
    const outcome = gate(merged.results.requirements, { ...options.gate, pair: Boolean(merged.results.target.peer) });
    const written = await writeReportFolder(options.reportDir, { ...merged, gate: outcome, expectations: options.gate.expectations });
    return { results: written.results, resultsPath: written.resultsPath, record: merged, gate: outcome, ...(failure ? { failure } : {}) };
  }

  /** Stops the current run and the target at the next opportunity; `execute` then writes what the runs so far gave. */
  async interrupt(reason: string): Promise<void> {
    if (this.interruption) return;
    this.interruption = reason;
    await Promise.all([this.current?.interrupt(reason), this.owned.stop()]);
  }

  /** Stops the homeserver at once (second Ctrl-C). */
  async kill(): Promise<void> {
    await Promise.all([this.current?.kill(), this.owned.stop(0)]);
  }

  private async runOnce(target: StartedTarget, run: number): Promise<RunOutcome> {
    const { repeat: _repeat, ...options } = this.options;
    this.current = new ConformanceRun({ ...options, started: target, watchStarted: { process: this.owned.process }, report: 'none', log: (line) => options.log(`[run ${run}] ${line}`) });
    try {
      return await this.current.execute();
    } finally {
      this.current = undefined;
    }
  }
}

/**
 * How many runs gave the most common set of requirement verdicts, e.g. "19
 * of 20 runs gave the same requirement verdicts" (the figure docs/history.md
 * records for 20 runs against the embedded Synapse). A run cut short is not
 * compared: its verdicts are partial.
 */
export function steadyRuns(records: readonly RunRecord[]): string {
  const complete = records.filter((r) => !r.results.interrupted);
  const cut = records.length - complete.length;
  const note = cut ? ` (${cut} more cut short, not compared)` : '';
  if (complete.length === 0) return `no run completed${note}`;
  const counts = new Map<string, number>();
  for (const r of complete) {
    const signature = r.results.requirements.map((q) => `${q.id}=${q.verdict}`).join(' ');
    counts.set(signature, (counts.get(signature) ?? 0) + 1);
  }
  const most = Math.max(...counts.values());
  return `${most} of ${complete.length} runs gave the same requirement verdicts${counts.size > 1 ? ` (${counts.size} different sets)` : ''}${note}`;
}
