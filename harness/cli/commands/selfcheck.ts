import path from 'node:path';
import { EXIT, HarnessError } from '../../errors.js';
import { MUTANTS } from '../../selfcheck/mutants/catalogue.js';
import type { Mutant } from '../../selfcheck/mutant.js';
import { falseBlameCount, falseBlameLines, latencySteady, missingDiagnosis, noticedBy, selfCheckExitCode, writeSelfCheck, type SelfCheckReport } from '../../selfcheck/report.js';
import { PRESENCE_DISABLED_STAGE, SelfCheck } from '../../selfcheck/self-check.js';
import { DEFAULT_LATENCY, parseLatency } from '../../selfcheck/latency.js';
import type { Latency } from '../../selfcheck/proxy.js';
import { parseCli } from '../args.js';
import { withInterrupts } from '../interrupts.js';
import { fail, log } from '../output.js';

export const SELFCHECK_HELP = `presence-conformance selfcheck: prove every check can fail (mutation testing)

Boots or reaches the target once, runs the suites directly, then through a
fault-injecting proxy (127.0.0.1) without a fault (the verdicts must be the
same), then once per mutant: a proxy that injects one realistic presence bug.
A mutant is caught when some requirement goes to fail that does not fail
without it. A requirement outside the mutant's \`violates\` list that goes to
fail with it is a false blame (the precision column), and fails the check.

Usage:
  presence-conformance selfcheck [target flags as for run] [flags]

Flags:
  --only <ID or prefix>         restrict every run to these requirements
  --only-mutant <name,...>      run only these mutants (see --list-mutants; a name ending
                                in * selects every mutant it begins, e.g. fed-*); the name
                                ${PRESENCE_DISABLED_STAGE} selects the stage that runs the
                                suites against a Synapse with presence.enabled: false
                                (always part of a run without --only-mutant)
  --list-mutants                print the mutant catalogue and exit
  --concurrency <n>             mutant runs at once, each on its own proxy (default 3)
  --latency <delay>,<jitter>    also run the suites through a proxy that delays every
                                response by delay ± jitter ms (uniform), beside the direct
                                run: verdicts must be the same, with no error (default
                                250,250; off: --latency off)
  --report-dir <dir>            selfcheck.json, selfcheck.md and one folder per run
                                (default reports/latest/selfcheck)
  --seed <n>                    seed for every run (default: random, printed)

Exit codes: 0 every mutant caught (or masked: the target already fails what it
breaks) with no false blame, 1 a mutant survived, a false blame, or the
no-mutant proxy run or the latency run differs from the direct run (or the latency
run gives an error), 2 the self-check could not
run, 130 interrupted.
`;

interface SelfCheckFlags {
  onlyMutant?: string;
  latency?: Latency;
  concurrency: number;
  list: boolean;
  reportDirGiven: boolean;
  rest: string[];
}

/** Takes the self-check's own flags out of `argv`; the rest are `run`'s. */
function splitFlags(argv: string[]): SelfCheckFlags {
  const flags: SelfCheckFlags = { concurrency: 3, list: false, reportDirGiven: false, rest: [], latency: DEFAULT_LATENCY };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new HarnessError(`${name} needs a value (see --help)`);
      return v;
    };
    if (name === '--only-mutant') flags.onlyMutant = value();
    else if (name === '--concurrency') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 8) throw new HarnessError('--concurrency needs a whole number from 1 to 8');
      flags.concurrency = n;
    } else if (name === '--latency') flags.latency = parseLatency(value());
    else if (name === '--list-mutants') flags.list = true;
    else if (['--expect', '--strict-expect', '--fail-on'].includes(name)) throw new HarnessError(`${name} applies to run, not selfcheck`);
    else {
      if (name === '--report-dir') flags.reportDirGiven = true;
      flags.rest.push(arg);
    }
  }
  return flags;
}

/** The mutants `--only-mutant` selects, and whether it selects the presence-disabled stage (all of them when absent). */
export function selectMutants(onlyMutant: string | undefined): { mutants: readonly Mutant[]; stage: boolean } {
  if (!onlyMutant) return { mutants: MUTANTS, stage: true };
  const names = onlyMutant.split(',').map((n) => n.trim()).filter(Boolean);
  // `fed-*`: every mutant whose name starts with `fed-`.
  const selects = (pattern: string, name: string) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern);
  const unknown = names.filter((n) => !selects(n, PRESENCE_DISABLED_STAGE) && !MUTANTS.some((m) => selects(n, m.name)));
  if (unknown.length) throw new HarnessError(`unknown mutant ${unknown.join(', ')}; see --list-mutants`);
  return { mutants: MUTANTS.filter((m) => names.some((n) => selects(n, m.name))), stage: names.some((n) => selects(n, PRESENCE_DISABLED_STAGE)) };
}

/** `presence-conformance selfcheck`: mutation testing of the suites; resolves to the exit code. */
export async function selfcheckCommand(argv: string[]): Promise<number> {
  let check: SelfCheck;
  let reportDir: string;
  let seed: number;
  try {
    const flags = splitFlags(argv);
    const options = parseCli(flags.rest);
    if (options.command === 'help') {
      process.stdout.write(SELFCHECK_HELP);
      return EXIT.ok;
    }
    if (flags.list) {
      for (const m of MUTANTS) process.stdout.write(`${m.name.padEnd(28)} ${m.violates.join(', ')}${m.needsPair ? ' (federating pair only)' : ''}\n${' '.repeat(29)}${m.bug}\n`);
      process.stdout.write(`${PRESENCE_DISABLED_STAGE.padEnd(28)} (stage, embedded Synapse only) as presence-disabled\n${' '.repeat(29)}a real Synapse booted with presence.enabled: false; its run must diagnose it\n`);
      return EXIT.ok;
    }
    if (options.targets.length !== 1) throw new HarnessError('selfcheck checks one --target at a time');
    reportDir = path.resolve(flags.reportDirGiven ? options.reportDir : 'reports/latest/selfcheck');
    seed = options.seed;
    const selection = selectMutants(flags.onlyMutant);
    check = new SelfCheck({
      target: options.targets[0]!,
      url: options.url,
      container: options.container,
      binaries: options.binaries,
      only: options.only,
      mutants: selection.mutants,
      presenceDisabledStage: selection.stage,
      reportDir,
      seed,
      keepUsers: options.keepUsers,
      maxWaitMs: options.maxWaitMs,
      concurrency: flags.concurrency,
      latency: flags.latency,
      log,
    });
  } catch (cause) {
    return fail(cause);
  }

  log(`seed ${seed} (replay with --seed ${seed})`);
  const { result: report, interrupted } = await withInterrupts(check, 'every run, proxy and server', () => check.execute());
  const written = await writeSelfCheck(reportDir, report);
  printReport(report);
  log(`self-check: ${path.relative(process.cwd(), written) || written} (and selfcheck.md)`);
  // Last, as `run` does: a failure's one-line cause (a server that died mid-check, say).
  if (report.failure) log(`presence-conformance: self-check failed: ${report.failure.split('\n')[0]}`);
  if (interrupted) return EXIT.interrupted;
  return selfCheckExitCode(report);
}

function printReport(report: SelfCheckReport): void {
  log('');
  log(`self-check of ${report.target.serverVersion}: ${(report.durationMs / 1000).toFixed(0)} s, seed ${report.seed}`);
  const b = report.baseline;
  log(b.proxyFaithful ? `  proxy faithful: no-mutant verdicts equal the direct run's (${b.proxiedRequests} requests)` : `  PROXY NOT FAITHFUL: ${b.differences.map((d) => `${d.id} ${d.before}->${d.after}`).join(', ') || 'baseline incomplete'}`);
  if (b.latency) {
    const l = b.latency;
    const what = `${l.delayMs} ± ${l.jitterMs} ms on every response (${l.proxiedRequests} requests, ${(l.latencyMs / 1000).toFixed(1)} s; direct ${(l.directMs / 1000).toFixed(1)} s)`;
    log(latencySteady(report)
      ? `  steady under latency: ${what}, same verdicts as the direct run, no error`
      : `  NOT STEADY UNDER LATENCY: ${what}: ${[...l.differences.map((d) => `${d.id} ${d.before}->${d.after}`), ...l.errors.map((e) => `${e.id} error: ${(e.message ?? '').split('\n')[0]!.slice(0, 160)}`)].join('; ')}`);
  }
  for (const m of report.mutants) {
    const injected = Object.values(m.injected).reduce((a, c) => a + c, 0);
    const by = noticedBy(m);
    const detail = by ? `by ${by}` : m.note ? m.note.split('\n')[0]!.slice(0, 120) : `${injected} faults injected; violates ${m.violates.join(', ')}`;
    log(`  ${m.status.toUpperCase().padEnd(8)} ${m.name.padEnd(28)} ${detail}`);
    for (const line of falseBlameLines(m)) log(`           FALSE BLAME ${line}`);
    for (const line of falseBlameLines({ ...m, falseBlames: m.unconfirmedBlames })) log(`           flaky (a second run did not repeat it) ${line}`);
    if (m.diagnosis?.found) log(`           diagnosed: ${m.diagnosis.found}`);
    if (missingDiagnosis(m)) log(`           MISSING DIAGNOSIS: the run did not say ${m.diagnosis!.expected}`);
  }
  const blames = falseBlameCount(report);
  log(`  precision: ${blames ? `${blames} FALSE BLAME${blames === 1 ? '' : 'S'} (failing tests of requirements a mutant does not violate)` : 'no false blame'}`);
}
