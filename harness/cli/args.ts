import { parseArgs, type ParseArgsConfig } from 'node:util';
import { matchingIds } from '../catalogue.js';
import { HarnessError } from '../errors.js';
import { registerSecret } from '../redact.js';
import { DEFAULT_MAX_WAIT_MS } from '../story/budget.js';
import { completeTimings } from '../timings.js';
import { TIMING_FLAG_OPTIONS, milliseconds, timingFlagsHelp, timingsFromFlags } from '../timing-flags.js';
import { binaryHelp, parseBinaries } from './binary-flag.js';
import { DEFAULT_TARGET, TARGETS, TARGET_KINDS, targetKind, type TargetKind } from '../targets/registry.js';
import type { ImageOptions, UrlOptions } from '../targets/definition.js';
import type { RegistrationMethod } from '../story/server-facts.js';
import type { FailOn } from '../results/gate.js';

/** The targets reached by URL, for messages. */
function externalKinds(): string {
  return TARGET_KINDS.filter((kind) => TARGETS[kind].type === 'external').join('|');
}

/** Whether the user declares the target's timers and registration (a url or docker target), rather than the harness (embedded servers and pairs of them). */
function userDeclared(kind: TargetKind): boolean {
  const { type } = TARGETS[kind];
  return type === 'external' || type === 'container';
}

/** The targets whose timers and registration the user declares, for messages. */
function declaredKinds(): string {
  return TARGET_KINDS.filter(userDeclared).join('|');
}

/** The `--target` lines of --help, one entry per registry entry, wrapped like the rest of the text. */
function targetHelp(): string {
  const indent = ' '.repeat(32);
  const width = 9;
  return TARGET_KINDS.map((kind) => {
    const words = `${TARGETS[kind].summary}${kind === DEFAULT_TARGET ? ' (default)' : ''}.`.split(' ');
    const lines: string[] = [];
    let line = `${indent}${`${kind}:`.padEnd(width)}`;
    for (const word of words) {
      if (line.length + 1 + word.length > 92 && line.trim().length > width) {
        lines.push(line);
        line = `${indent}${' '.repeat(width)}`;
      }
      line += ` ${word}`;
    }
    return [...lines, line].join('\n');
  }).join('\n');
}

export const HELP: string = `presence-conformance: does a Matrix homeserver's presence module do what the spec says?

Usage:
  presence-conformance run [flags]      run the conformance suites (the default command)
  presence-conformance selfcheck [flags]  prove every check can fail: mutation testing
                                        through a fault-injecting proxy (selfcheck --help)
  presence-conformance bench [flags]    presence under load: latency, leaks, server cost per
                                        step of users (bench --help; npm run bench)
  presence-conformance compare <results.json>... [--out <dir>]
                                        requirement × server matrix of several runs
  presence-conformance help             this text

Target:
  --target ${TARGET_KINDS.join('|')}[,...]
${targetHelp()}
                                Embedded servers listen on 127.0.0.1, stopped when the run ends.
                                Several, comma-separated (--target synapse,dendrite): they run
                                side by side, as many at once as the free memory holds
                                (each console line names its target), each into
                                <report-dir>/<target>/; their comparison (compare.md,
                                compare.html) goes to <report-dir>; the exit code is the
                                worst of theirs.
  --one-at-a-time               with several targets, run them one after the other
  --base-url <url>              homeserver client API base URL (--target url); http or https
  --ca-file <pem>               the CA that signed an https target's certificate, trusted for
                                it by every request of the run (--target url)
  --image <name>                a local homeserver image (--target docker), never pulled; it
                                follows Complement's contract: env SERVER_NAME, client API on
                                8008, shared secret "complement" unless a registration flag
                                says otherwise. Images of npm run images declare a port
                                variable (so any free port), bind 127.0.0.1 and their timers
${binaryHelp()}
  --server-name <name>          its server name (default: learned from a registered user ID;
                                --target docker passes it as SERVER_NAME); --target url with no
                                --base-url discovers the base URL from
                                https://<name>/.well-known/matrix/client
  --server-version <text>       its product and version for the reports, e.g.
                                "Dendrite 0.13.8" (default: asked of the server;
                                "unknown" if it does not say)
  --registration-secret <s>     shared secret for /_synapse/admin/v1/register
                                (or env PRESENCE_REGISTRATION_SECRET, kept out of process lists)
  --open-registration           register users with m.login.dummy instead
  --registration-token <t>      register users with m.login.registration_token (or env
                                PRESENCE_REGISTRATION_TOKEN); the token needs a use per user

Timings the target declares (--target url|docker; defaults are the spec's example values,
or what a docker image declares in its labels; embedded targets declare their own in
harness/targets/<name>/timings.ts):
${timingFlagsHelp()}

Wait budget (slow timers: a server with fixed 5-minute timers needs 10 minutes per story):
  --max-wait <ms>               skip a story that would wait longer than <ms> for one
                                deadline derived from the declared timings; it is reported
                                as "slow: needs ~N s; pass --slow" and counted as not
                                checked in every report (default ${DEFAULT_MAX_WAIT_MS})
  --slow                        no budget: run every story, all at once, so the run lasts
                                about as long as the slowest one

Selection and output:
  --only <IDs or prefixes>      run some requirements or areas, comma-separated,
                                e.g. PRES-FFC-PUT or PRES-FFC,PRES-PUT (PRES-TENT: the
                                tentative area)
  --report-dir <dir>            where results.json, evidence, logs and the reports go
                                (junit.xml, summary.md, report.html; default reports/latest)
  --seed <n>                    seed for generated names and texts (default: random, printed)
  --keep-users                  leave the test users on a server that outlives the run
                                (--target url); by default each leaves its rooms and is
                                deactivated at the end of the run and on Ctrl-C, and the
                                summary says how many were made and deactivated
  --repeat <n>                  run the selection n times against one target (started once;
                                each run has its own users) and mark every requirement and
                                test whose verdict changed between runs as flaky, in every
                                report; each keeps its worst verdict, so a failure seen once
                                still fails (default 1)
  --verbose                     show vitest's own output (each test, its failures, its summary
                                lines) instead of the one progress line (requirements judged,
                                elapsed, ETA from the declared timings)

Gating:
  --expect <file>               known failures of this server (reports/expectations/*.json):
                                exit 1 only on failures not listed there; with several
                                targets a folder holding <target>.json for each
  --strict-expect               also exit 1 when a listed failure now passes
  --fail-on must|should|tentative
                                which levels gate the exit code (default must; MAY never
                                gates); tentative requirements (PRES-TENT-*: proposals not
                                yet in the spec) never gate, not even their MUSTs, unless
                                tentative: then MUST and SHOULD gate, tentative ones too

Exit codes: 0 no gating failure, 1 a gating requirement failed, 2 the harness could
not run (bad flags, unreachable or non-Matrix target, registration refused, or the
target went away mid-run: named in the last line, a partial report is written),
130 interrupted (a partial report is still written).

Examples:
  presence-conformance run
  presence-conformance run --only PRES-FFC --seed 42
  presence-conformance run --repeat 20 --expect reports/expectations/synapse.json
  presence-conformance run --target docker --image presence-conformance/synapse:1.163.2
  presence-conformance run --target docker --image complement-dendrite --idle-timeout 300000 \\
      --active-window 300000 --check-interval 300000 --longest-cycle 300000 --slow
  presence-conformance run --target url --base-url http://127.0.0.1:8008 \\
      --registration-secret "$SECRET" --idle-timeout 300000 --check-interval 300000 --slow
  presence-conformance run --target url --base-url http://127.0.0.1:8008 \\
      --registration-secret "$SECRET" --idle-timeout 300000
  presence-conformance run --target url --server-name localhost:8448 --ca-file ca.pem \\
      --registration-secret "$SECRET"
  npm run conformance -- --target url --base-url http://127.0.0.1:8008 --open-registration
`;

export interface CliOptions {
  command: 'run' | 'help';
  /** The `--target` list, in order: one run each (usually one). */
  targets: TargetKind[];
  /** How to reach an external target (--target url): its flags, registration and declared timings. */
  url?: UrlOptions;
  /** What to run for --target docker: the image, and the flags that override what it declares. */
  container?: ImageOptions;
  /** `--binary` (or env PRESENCE_<FAMILY>_BINARY): the build each family that takes one boots, checked executable. */
  binaries: Partial<Record<TargetKind, string>>;
  /** The wait budget per story (`--max-wait`); null with `--slow`. */
  maxWaitMs: number | null;
  only?: string;
  reportDir: string;
  seed: number;
  /** `--keep-users`: do not remove the run's test users at its end. */
  keepUsers: boolean;
  /** Runs of the selection against one target (`--repeat`, default 1). */
  repeat: number;
  /** `--verbose`: vitest's own reporter instead of the progress line. */
  verbose: boolean;
  /** `--one-at-a-time`: several targets run one after the other, not side by side. */
  oneAtATime: boolean;
  expect?: string;
  strictExpect: boolean;
  failOn: FailOn;
}

/** Every flag of `run` (node:util parseArgs options); --help documents each (a test holds it to that). */
export const RUN_FLAGS = {
  target: { type: 'string', default: DEFAULT_TARGET },
  'base-url': { type: 'string' },
  'ca-file': { type: 'string' },
  image: { type: 'string' },
  binary: { type: 'string' },
  'server-name': { type: 'string' },
  'server-version': { type: 'string' },
  'registration-secret': { type: 'string' },
  'open-registration': { type: 'boolean', default: false },
  'registration-token': { type: 'string' },
  ...TIMING_FLAG_OPTIONS,
  'max-wait': { type: 'string' },
  slow: { type: 'boolean', default: false },
  only: { type: 'string' },
  'report-dir': { type: 'string', default: 'reports/latest' },
  seed: { type: 'string' },
  repeat: { type: 'string' },
  'keep-users': { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  'one-at-a-time': { type: 'boolean', default: false },
  expect: { type: 'string' },
  'strict-expect': { type: 'boolean', default: false },
  'fail-on': { type: 'string', default: 'must' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Parses the CLI's own flags; anything unknown is a one-line error (exit 2). */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: RUN_FLAGS,
    });
  } catch (cause) {
    throw new HarnessError(`${cause instanceof Error ? cause.message : String(cause)} (see --help)`);
  }
  const { values, positionals } = parsed;
  const command = values.help ? 'help' : 'run';
  if (positionals.length > 0) throw new HarnessError(`unexpected argument ${JSON.stringify(positionals[0])} (see --help)`);

  const targets = values.target.split(',').map((name) => targetKind(name.trim()));
  const duplicate = targets.find((kind, i) => targets.indexOf(kind) !== i);
  if (duplicate) throw new HarnessError(`--target names ${duplicate} twice`);
  const declared = targets.filter(userDeclared);
  if (declared.length > 1) throw new HarnessError(`--target may name one of ${declaredKinds()} (the flags describe one server), got ${declared.join(', ')}`);
  const target = declared[0] ?? targets[0]!;
  const definition = TARGETS[target];
  const failOn = values['fail-on'];
  if (failOn !== 'must' && failOn !== 'should' && failOn !== 'tentative') throw new HarnessError(`--fail-on must be must, should or tentative, got ${JSON.stringify(failOn)}`);

  const secret = values['registration-secret'] ?? env.PRESENCE_REGISTRATION_SECRET;
  const token = values['registration-token'] ?? env.PRESENCE_REGISTRATION_TOKEN;
  registerSecret(token);
  if (values['open-registration'] && values['registration-token'] !== undefined) throw new HarnessError('--open-registration and --registration-token are two ways to register: give one of them');
  let registration: RegistrationMethod | undefined;
  if (values['open-registration']) registration = { kind: 'open' };
  else if (values['registration-token'] !== undefined) registration = { kind: 'token', token: values['registration-token'] };
  else if (secret) registration = { kind: 'shared-secret', secret };
  else if (token) registration = { kind: 'token', token };

  if (definition.type === 'external') {
    if (!values['base-url'] && !values['server-name']) throw new HarnessError(`--target ${target} needs --base-url, or --server-name to discover it (see --help)`);
    if (!registration) throw new HarnessError(`--target ${target} needs --registration-secret, --registration-token or --open-registration (see --help)`);
  } else if (values['base-url'] || values['ca-file'] !== undefined) {
    throw new HarnessError(`--base-url and --ca-file apply to --target ${externalKinds()} only`);
  }
  if (definition.type === 'container') {
    if (!values.image) throw new HarnessError(`--target ${target} needs --image (see --help)`);
  } else if (values.image !== undefined) {
    throw new HarnessError(`--image applies to --target docker only`);
  }
  if (!userDeclared(target) && (registration || values['server-version'] !== undefined || values['server-name'] !== undefined)) {
    throw new HarnessError(`--server-name, --server-version and registration flags apply to --target ${declaredKinds()} only; embedded targets make their own`);
  }

  const binaries = parseBinaries(targets, values.binary, env);

  if (values.only !== undefined && matchingIds(values.only).length === 0) {
    throw new HarnessError(`--only ${JSON.stringify(values.only)} matches no requirement ID of the catalogue`);
  }

  // Only the flags given: an image's labels fill the rest before the spec's examples do.
  const timingFlags = timingsFromFlags(values);
  if (!userDeclared(target) && Object.values(timingFlags).some((v) => v !== undefined)) {
    throw new HarnessError(`timing flags apply to --target ${declaredKinds()} only; the embedded ${target} declares its own (${definition.type === 'embedded' ? definition.timingsFile : 'harness/targets/<name>/timings.ts'})`);
  }

  if (values.slow && values['max-wait'] !== undefined) throw new HarnessError('--slow lifts the wait budget that --max-wait sets: give one of them');
  const maxWaitMs = values.slow ? null : milliseconds('max-wait', values['max-wait'], DEFAULT_MAX_WAIT_MS);

  let seed = Math.floor(Math.random() * 2 ** 31);
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new HarnessError(`--seed needs a non-negative integer, got ${JSON.stringify(values.seed)}`);
  }

  const repeat = values.repeat === undefined ? 1 : Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new HarnessError(`--repeat needs a positive whole number of runs, got ${JSON.stringify(values.repeat)}`);

  return {
    command,
    targets,
    url: definition.type === 'external'
      ? { baseUrl: values['base-url'], caFile: values['ca-file'], serverName: values['server-name'], serverVersion: values['server-version'], registration: registration!, timings: completeTimings(timingFlags) }
      : undefined,
    container: definition.type === 'container'
      ? { image: values.image!, serverName: values['server-name'], serverVersion: values['server-version'], registration, timings: timingFlags }
      : undefined,
    binaries,
    maxWaitMs,
    only: values.only,
    reportDir: values['report-dir'],
    seed,
    repeat,
    verbose: values.verbose,
    oneAtATime: values['one-at-a-time'],
    keepUsers: values['keep-users'],
    expect: values.expect,
    strictExpect: values['strict-expect'],
    failOn,
  };
}
