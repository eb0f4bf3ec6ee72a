import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { EXIT, HarnessError } from '../../errors.js';
import { loadExpectations } from '../../results/gate.js';
import { RepeatedRun } from '../../runner/repeat.js';
import { ConformanceRun, type RunOptions } from '../../runner/run.js';
import type { TargetKind } from '../../targets/registry.js';
import { HELP, parseCli, type CliOptions } from '../args.js';
import { fail, log } from '../output.js';
import { stderrBoard } from '../../console/stderr-board.js';
import { printSummary } from '../summary.js';
import { withInterrupts } from '../interrupts.js';
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
  if (options.targets.length === 1) return (await runOne(options, only!, path.resolve(options.reportDir), options.expect)).code;
  return runSeveral(options);
}

interface OneOutcome {
  code: number;
  /** The results.json written, if the run got as far as writing one. */
  resultsPath?: string;
}

async function runOne(options: CliOptions, target: TargetKind, reportDir: string, expect: string | undefined): Promise<OneOutcome> {
  let run: ConformanceRun | RepeatedRun;
  try {
    const expectations = expect ? await loadExpectations(expect) : undefined;
    const one: RunOptions = {
      target,
      url: options.url,
      container: options.container,
      binaries: options.binaries,
      only: options.only,
      maxWaitMs: options.maxWaitMs,
      reportDir,
      seed: options.seed,
      keepUsers: options.keepUsers,
      board: stderrBoard,
      verbose: options.verbose,
      gate: { failOn: options.failOn, expectations, strictExpect: options.strictExpect },
      log,
    };
    run = options.repeat > 1 ? new RepeatedRun({ ...one, repeat: options.repeat }) : new ConformanceRun(one);
  } catch (cause) {
    return { code: fail(cause) };
  }
  const { result: outcome, interrupted } = await withInterrupts(run, 'the run and the homeserver', () => run.execute());
  printSummary(outcome, log);
  const resultsPath = outcome.resultsPath;
  if (interrupted) return { code: EXIT.interrupted, resultsPath };
  if (outcome.failure) return { code: fail(outcome.failure), resultsPath };
  return { code: outcome.gate.exitCode, resultsPath };
}

/**
 * `--target a,b`: runs each target in turn (one homeserver at a time) into
 * `<report-dir>/<target>/`, then writes their comparison into `<report-dir>`.
 * The exit code is the worst of the runs' (interrupted > harness failure >
 * gating failure > ok); an interrupt stops the remaining runs.
 */
async function runSeveral(options: CliOptions): Promise<number> {
  const root = path.resolve(options.reportDir);
  if (options.expect && !(existsSync(options.expect) && statSync(options.expect).isDirectory())) {
    return fail(new HarnessError(`with several targets, --expect names a folder holding <target>.json for each (e.g. reports/expectations), got ${options.expect}`));
  }
  const written: string[] = [];
  const codes: string[] = [];
  let worst: number = EXIT.ok;
  for (const [i, target] of options.targets.entries()) {
    log(`\n== --target ${target} (${i + 1} of ${options.targets.length}) ==`);
    const expectFile = options.expect ? path.join(options.expect, `${target}.json`) : undefined;
    const expect = expectFile && existsSync(expectFile) ? expectFile : undefined;
    if (expectFile && !expect) log(`no ${expectFile}: every gating failure of ${target} counts`);
    const outcome = await runOne(options, target, path.join(root, target), expect);
    if (outcome.resultsPath) written.push(outcome.resultsPath);
    codes.push(`${target} ${outcome.code}`);
    worst = Math.max(worst, outcome.code);
    if (outcome.code === EXIT.interrupted) break;
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
