import type { Reporter } from 'vitest/node';
import { ProgressReporter, type ProgressReporterOptions } from './progress-reporter.js';

export interface ConsoleChoice {
  /** No console reporter at all (concurrent runs: the self-check). */
  quiet?: boolean;
  /** `--verbose`: vitest's own reporter, with its summary lines. */
  verbose?: boolean;
  /** The progress line's settings; without them (no board to show it on), nothing. */
  progress?: ProgressReporterOptions;
}

/**
 * What the console shows while the suites run: the suite's own progress
 * line, or with `--verbose` vitest's reporter (each test, then its summary
 * lines "Test Files 1 failed", "Tests", "Duration", which otherwise would
 * stand beside the run's verdict table and gate as a second, differently
 * counted verdict); nothing when quiet. `wrap` adapts vitest's reporter
 * (the run silences it once its target is lost).
 */
export async function consoleReporters(choice: ConsoleChoice, wrap: (reporter: Reporter) => Reporter = (r) => r): Promise<{ reporters: Reporter[]; progress?: ProgressReporter }> {
  if (choice.quiet) return { reporters: [] };
  if (choice.verbose) {
    const { DefaultReporter } = await import('vitest/node');
    return { reporters: [wrap(new DefaultReporter())] };
  }
  if (!choice.progress) return { reporters: [] };
  const progress = new ProgressReporter(choice.progress);
  return { reporters: [progress], progress };
}
