import path from 'node:path';
import { EXIT } from '../../errors.js';
import { loadExpectations } from '../../results/gate.js';
import { ConformanceRun, type RunOutcome } from '../../runner/run.js';
import { HELP, parseCli } from '../args.js';
import { fail, log } from '../output.js';
import { printSummary } from '../summary.js';

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
      reportDir: path.resolve(options.reportDir),
      seed: options.seed,
      gate: { failOn: options.failOn, expectations, strictExpect: options.strictExpect },
      log,
    });
  } catch (cause) {
    return fail(cause);
  }

  log(`seed ${options.seed} (replay with --seed ${options.seed})`);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      log(`${signal}: stopping; writing a partial report (press Ctrl-C again to stop at once)`);
      void run.interrupt(signal);
    } else {
      void run.kill().finally(() => process.exit(EXIT.interrupted));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let outcome: RunOutcome;
  try {
    outcome = await run.execute();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  printSummary(outcome, log);
  if (signals > 0) return EXIT.interrupted;
  if (outcome.failure) return fail(outcome.failure);
  return outcome.gate.exitCode;
}
