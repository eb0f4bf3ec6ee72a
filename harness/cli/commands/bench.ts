import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, HarnessError } from '../../errors.js';
import type { BenchOptions } from '../../bench/engine/bench-options.js';
import { BENCH_HELP, parseBenchArgs } from '../bench-args.js';
import { BenchRun } from '../../bench/engine/bench-run.js';
import { benchTable, harnessShare, writeBenchHtml, writeBenchJson } from '../../bench/engine/report.js';
import { fail, log } from '../output.js';
import { withInterrupts } from '../interrupts.js';

/**
 * `presence-conformance bench`: presence under load against each --target
 * (harness/bench/engine/). Exit 0 done, 1 a leak, 2 a target could not be
 * benched (bench.json still written), 130 interrupted.
 */
export async function benchCommand(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (cause) {
    return fail(cause);
  }
  if (options.help) {
    process.stdout.write(BENCH_HELP);
    return EXIT.ok;
  }
  const dir = path.resolve(options.reportDir);
  await mkdir(dir, { recursive: true });
  log(`seed ${options.seed} (replay with --seed ${options.seed})`);
  const run = new BenchRun(options, dir, log);
  const { result, interrupted } = await withInterrupts(run, 'the bench and its homeservers', () => run.execute());
  const json = await writeBenchJson(dir, result);
  const html = await writeBenchHtml(dir, result);
  process.stdout.write(`${benchTable(result)}\n`);
  log(harnessShare(result));
  log(`wrote ${json} and ${html}`);
  if (interrupted) return EXIT.interrupted;
  const broken = result.targets.find((t) => t.error);
  if (broken) return fail(new HarnessError(`--target ${broken.target}: ${broken.error}`));
  const leaks = result.targets.flatMap((t) => t.steps).reduce((n, s) => n + s.leakCount, 0);
  if (leaks > 0) {
    log(`${leaks} presence event(s) shown to users sharing no room with their subject: PRES-VIS-NONSHARED-SYNC fails under load (evidence in bench.json)`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
