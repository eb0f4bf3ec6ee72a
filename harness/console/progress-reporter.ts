import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { progressLine, tenthJudged } from './progress-line.js';
import type { StatusBoard } from './status-board.js';

export interface ProgressReporterOptions {
  /** Which run (the target), in its line and as its key on the board. */
  label: string;
  board: StatusBoard;
  /** When the run started (epoch ms): elapsed counts from there, provisioning and boot included. */
  runStartedAt: number;
  /** How long the suites are expected to take from their start (`expectedStoryMs`). */
  expectedMs: number;
  now?: () => number;
  /** How often the line is refreshed while nothing finishes (elapsed and ETA move). */
  tickMs?: number;
}

/**
 * The console's view of a run in place of vitest's own reporter: one live
 * line of requirements judged of total, elapsed time and ETA, dropped
 * when the run ends, before the verdict table. A requirement is judged
 * once every test of it has a result.
 */
export class ProgressReporter implements Reporter {
  private readonly now: () => number;
  /** Tests still running, by test id, to the requirement each is of. */
  private readonly pending = new Map<string, string>();
  private readonly requirements = new Set<string>();
  private suitesStartedAt: number;
  private lastTenth = 0;
  private ticker: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ProgressReporterOptions) {
    this.now = options.now ?? Date.now;
    this.suitesStartedAt = this.now();
  }

  onTestRunStart(): void {
    if (this.stopped) return;
    this.suitesStartedAt = this.now();
    this.ticker = setInterval(() => this.show(), this.options.tickMs ?? 1_000);
    this.ticker.unref();
  }

  onTestModuleCollected(testModule: TestModule): void {
    for (const test of testModule.children.allTests()) {
      const id = test.meta().requirementId;
      // Tests --only filters out are collected as skipped: not part of the run.
      if (!id || test.options.mode === 'skip' || test.options.mode === 'todo') continue;
      this.pending.set(test.id, id);
      this.requirements.add(id);
    }
    this.show();
  }

  onTestCaseResult(testCase: TestCase): void {
    if (testCase.result().state === 'pending' || !this.pending.delete(testCase.id)) return;
    this.show();
  }

  onTestRunEnd(): void {
    this.stop();
  }

  /** Ends the line (the run ended, was interrupted or lost its target). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.ticker);
    this.ticker = undefined;
    this.options.board.drop(this.key);
  }

  /** Requirements with every test finished, of all the run's. */
  judged(): { judged: number; total: number } {
    const open = new Set(this.pending.values());
    return { judged: this.requirements.size - open.size, total: this.requirements.size };
  }

  private get key(): string {
    return `run ${this.options.label}`;
  }

  private show(): void {
    const { judged, total } = this.judged();
    if (total === 0 || this.stopped) return;
    const now = this.now();
    const tenth = tenthJudged(judged, total);
    const milestone = tenth > this.lastTenth;
    this.lastTenth = Math.max(this.lastTenth, tenth);
    const line = progressLine({ label: this.options.label, judged, total, elapsedMs: now - this.options.runStartedAt, etaMs: this.suitesStartedAt + this.options.expectedMs - now });
    this.options.board.set(this.key, line, { milestone });
  }
}
