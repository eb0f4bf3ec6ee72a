import path from 'node:path';
import { EXIT } from '../../errors.js';
import { loadExpectations } from '../../results/gate.js';
import { ConformanceRun } from '../../runner/run.js';
import { HELP, parseCli } from '../args.js';
import { fail, log } from '../output.js';
import { printSummary } from '../summary.js';
import { withInterrupts } from '../interrupts.js';

/** `presence-conformance run`: one conformance run; resolves to the exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseCli(argv);
  } catch (cause) {
    return fail(cause);
  }
  if (options.command === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }

  let run: ConformanceRun;
  try {
    const expectations = options.expect ? await loadExpectations(options.expect) : undefined;
    run = new ConformanceRun({
      target: options.target,
      url: options.baseUrl ? { baseUrl: options.baseUrl, serverName: options.serverName, registration: options.registration!, timings: options.timings } : undefined,
      only: options.only,
      maxWaitMs: options.maxWaitMs,
      reportDir: path.resolve(options.reportDir),
      seed: options.seed,
      gate: { failOn: options.failOn, expectations, strictExpect: options.strictExpect },
      log,
    });
  } catch (cause) {
    return fail(cause);
  }

  log(`seed ${options.seed} (replay with --seed ${options.seed})`);
  const { result: outcome, interrupted } = await withInterrupts(run, 'the run and the homeserver', () => run.execute());
  printSummary(outcome, log);
  if (interrupted) return EXIT.interrupted;
  if (outcome.failure) return fail(outcome.failure);
  return outcome.gate.exitCode;
}
