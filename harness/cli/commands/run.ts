import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT, HarnessError } from '../../errors.js';
import { loadExpectations } from '../../results/gate.js';
import { RepeatedRun } from '../../runner/repeat.js';
import { ConformanceRun, type RunOptions, type RunOutcome } from '../../runner/run.js';
import { memoryOfRunMiB } from '../../runner/target-memory.js';
import { inPool, runsAtOnce } from '../../runner/target-pool.js';
import { closePools } from '../../story/client/http.js';
import type { TargetKind } from '../../targets/registry.js';
import { HELP, parseCli, type CliOptions } from '../args.js';
import { fail, log, targetLines } from '../output.js';
import { stderrBoard } from '../../console/stderr-board.js';
import { printSummary } from '../summary.js';
import { InterruptibleGroup, withInterrupts } from '../interrupts.js';
import { writeComparison } from './compare.js';

/** `presence-conformance run`: one conformance run per --target; resolves to the exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (cause) {
    return fail(cause);
  }
  if (options.command === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  log(`seed ${options.seed} (replay with --seed ${options.seed})`);
  const [only] = options.targets;
  if (options.targets.length === 1) return (await runOne(options, { target: only!, reportDir: path.resolve(options.reportDir), expect: options.expect, say: log, alongside: false })).code;
  return runSeveral(options);
}

interface OneOutcome {
  code: number;
  /** The results.json written, if the run got as far as writing one. */
  resultsPath?: string;
}

type Run = ConformanceRun | RepeatedRun;

/** One target's run in a command: where it writes, what it expects, how its lines are told apart. */
interface OneRun {
  target: TargetKind;
  reportDir: string;
  expect: string | undefined;
  /** Progress lines: the CLI's `log`, prefixed with the target when runs go side by side. */
  say: (line: string) => void;
  /** Runs side by side share the process (RunOptions.alongside) and the console (vitest's own reporter left out). */
  alongside: boolean;
}

async function makeRun(options: CliOptions, one: OneRun): Promise<Run> {
  const expectations = one.expect ? await loadExpectations(one.expect) : undefined;
  const run: RunOptions = {
    target: one.target,
    url: options.url,
    container: options.container,
    binaries: options.binaries,
    only: options.only,
    maxWaitMs: options.maxWaitMs,
    reportDir: one.reportDir,
    seed: options.seed,
    keepUsers: options.keepUsers,
    gate: { failOn: options.failOn, expectations, strictExpect: options.strictExpect },
    log: one.say,
    // The progress line of each run, labelled with its target (side by side
    // they share the board); vitest's own reporter only for one target, whose
    // lines would otherwise interleave with another run's.
    board: stderrBoard,
    verbose: options.verbose && !one.alongside,
    ...(one.alongside ? { alongside: true } : {}),
  };
  return options.repeat > 1 ? new RepeatedRun({ ...run, repeat: options.repeat }) : new ConformanceRun(run);
}

/** The summary of a run that ended, and its exit code. */
function ended(outcome: RunOutcome, interrupted: boolean, say: (line: string) => void): OneOutcome {
  printSummary(outcome, say);
  const resultsPath = outcome.resultsPath;
  if (interrupted) return { code: EXIT.interrupted, resultsPath };
  if (outcome.failure) return { code: fail(outcome.failure, say), resultsPath };
  return { code: outcome.gate.exitCode, resultsPath };
}

async function runOne(options: CliOptions, one: OneRun): Promise<OneOutcome> {
  let run: Run;
  try {
    run = await makeRun(options, one);
  } catch (cause) {
    return { code: fail(cause, one.say) };
  }
  const { result, interrupted } = await withInterrupts(run, 'the run and the homeserver', () => run.execute());
  return ended(result, interrupted, one.say);
}

/**
 * `--target a,b`: runs the targets side by side, as many at once as the
 * free memory holds (`runsAtOnce`; one at a time with `--one-at-a-time`),
 * each into `<report-dir>/<target>/` with its console lines prefixed by its
 * target, then writes their comparison into `<report-dir>`. The exit code is
 * the worst of the runs' (interrupted > harness failure > gating failure >
 * ok); an interrupt stops every run under way and starts no further one.
 * One at a time, the console is as a single run's, target after target.
 */
async function runSeveral(options: CliOptions): Promise<number> {
  const root = path.resolve(options.reportDir);
  if (options.expect && !(existsSync(options.expect) && statSync(options.expect).isDirectory())) {
    return fail(new HarnessError(`with several targets, --expect names a folder holding <target>.json for each (e.g. reports/expectations), got ${options.expect}`));
  }
  const { targets } = options;
  const peaks = targets.map(memoryOfRunMiB);
  const atOnce = runsAtOnce(peaks, options.oneAtATime);
  const alongside = atOnce > 1;
  if (alongside) {
    const available = Math.round(os.freemem() / 2 ** 20);
    log(`${targets.length} targets, ${atOnce} at once (each run needs up to ${peaks.join(', ')} MiB; ${available} MiB available); --one-at-a-time runs them in turn`);
  }
  const group = new InterruptibleGroup();
  const { result: outcomes } = await withInterrupts(group, alongside ? 'the runs and their homeservers' : 'the run and the homeserver', () =>
    inPool(targets, atOnce, async (target, i) => {
      const say = alongside ? targetLines(target) : log;
      log(`\n== --target ${target} (${i + 1} of ${targets.length}) ==`);
      const expectFile = options.expect ? path.join(options.expect, `${target}.json`) : undefined;
      const expect = expectFile && existsSync(expectFile) ? expectFile : undefined;
      if (expectFile && !expect) say(`no ${expectFile}: every gating failure of ${target} counts`);
      let run: Run;
      try {
        run = await makeRun(options, { target, reportDir: path.join(root, target), expect, say, alongside });
      } catch (cause) {
        return { code: fail(cause, say) };
      }
      const { result, interrupted } = await group.with(run, () => run.execute());
      return ended(result, interrupted, say);
    }, () => group.stopped),
  );
  // Runs side by side left the process's shared HTTP pools open for each other.
  if (alongside) await closePools();
  const written: string[] = [];
  const codes: string[] = [];
  let worst: number = EXIT.ok;
  for (const [i, outcome] of outcomes.entries()) {
    if (!outcome) continue; // not started: an interrupt came first
    if (outcome.resultsPath) written.push(outcome.resultsPath);
    codes.push(`${targets[i]} ${outcome.code}`);
    worst = Math.max(worst, outcome.code);
  }
  log('');
  if (written.length > 0) {
    try {
      await writeComparison(written, root);
    } catch (cause) {
      worst = Math.max(worst, fail(cause));
    }
  }
  log(`exit codes: ${codes.join(', ')}; exiting with the worst, ${worst}`);
  return worst;
}
