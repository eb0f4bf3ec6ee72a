/**
 * `presence-conformance bench`'s flags: one table, from which both the
 * parser's options and --help are made. The target flags are `run`'s
 * (harness/cli/args.ts), parsed and checked by `run`'s own parser, so a
 * target is named the same way in both commands.
 */
import { parseArgs } from 'node:util';
import { HarnessError } from '../errors.js';
import { RUN_FLAGS, parseCli } from './args.js';
import { TIMING_FLAG_OPTIONS } from '../timing-flags.js';
import type { BenchOptions } from '../bench/engine/bench-options.js';
import { parseRoomSizes } from '../bench/engine/workload.js';

interface Flag {
  type: 'string' | 'boolean';
  default?: string | boolean;
  /** The value's placeholder in --help (string flags). */
  value?: string;
  help: string;
}

/** The target flags of `run` that `bench` takes, passed to `run`'s parser as given. */
const TARGET_FLAGS: ReadonlyArray<keyof typeof RUN_FLAGS> = [
  'target', 'base-url', 'ca-file', 'image', 'binary', 'server-name', 'server-version',
  'registration-secret', 'open-registration', 'registration-token',
  ...(Object.keys(TIMING_FLAG_OPTIONS) as Array<keyof typeof TIMING_FLAG_OPTIONS>),
];

export const DEFAULT_USERS = '10,50,100,200';
/** The bench's bound on users: each is a long-poll connection and an account on the server. */
export const MAX_USERS = 1000;
export const DEFAULT_ROOM_SIZES = '2:0.5,5:0.3,20:0.2';
/**
 * A step's measured phase. Sized for the issue's done-when: three targets
 * side by side, steps 10, 50, 100 and 200 users, within 20 minutes on a
 * loaded 2-core machine (boot, registration, rooms and drains included).
 */
export const DEFAULT_STEP_SECONDS = 60;

export const BENCH_FLAGS: Record<string, Flag> = {
  users: { type: 'string', default: DEFAULT_USERS, value: 'n,n,...', help: 'the step series: users per step, ascending; the largest step\'s users are registered once and smaller steps reuse the first of them' },
  'room-sizes': { type: 'string', default: DEFAULT_ROOM_SIZES, value: 'size:weight,...', help: 'distribution of room sizes; rooms draw members from clusters of up to 50 users, so some pairs share no room (where a leak would show)' },
  'step-seconds': { type: 'string', default: String(DEFAULT_STEP_SECONDS), value: 's', help: 'length of each step\'s measured phase (then a drain for late deliveries)' },
  'presence-per-minute': { type: 'string', default: '2', value: 'r', help: 'presence changes (online <-> unavailable) per user per minute' },
  'messages-per-minute': { type: 'string', default: '1', value: 'r', help: 'messages per user per minute, into one of the user\'s rooms' },
  'quiet-per-minute': { type: 'string', default: '0.5', value: 'r', help: 'quiet spells per user per minute (the client syncs on, doing nothing)' },
  'quiet-seconds': { type: 'string', default: '20', value: 's', help: 'length of a quiet spell' },
  'max-requests': { type: 'string', default: '300000', value: 'n', help: 'bound: a target\'s step stops once it has made this many requests' },
  'max-seconds': { type: 'string', default: '1800', value: 's', help: 'bound: no step starts, and a running one stops, this long after the bench began' },
  seed: { type: 'string', value: 'n', help: 'seed of the workload (rooms, actions; default random, printed)' },
  'report-dir': { type: 'string', default: 'reports/bench-run', value: 'dir', help: 'where bench.json (and bench.html, and each embedded target\'s server log under <target>/) go' },
  'one-at-a-time': { type: 'boolean', default: false, help: 'several targets: one after the other (default: side by side as memory allows)' },
  'skip-baseline': { type: 'boolean', default: false, help: 'do not measure the loopback baseline (the harness alone against an echo server, before the targets)' },
  'keep-users': { type: 'boolean', default: false, help: 'leave the test users on a server that outlives the bench (--target url)' },
  help: { type: 'boolean', default: false, help: 'this text' },
};


function helpLine(name: string, flag: Flag): string {
  const head = `  --${name}${flag.type === 'string' ? ` <${flag.value ?? 'value'}>` : ''}`;
  const text = `${flag.help}${flag.type === 'string' && flag.default !== undefined ? ` (default ${flag.default})` : ''}`;
  const indent = ' '.repeat(30);
  const lines: string[] = [];
  let line = head.length < 30 ? head.padEnd(30) : (lines.push(head), indent);
  for (const word of text.split(' ')) {
    if (line.length + word.length > 94 && line.trim().length > 0 && line.length > 30) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  return [...lines, line.trimEnd()].join('\n');
}

export const BENCH_HELP: string = `presence-conformance bench: presence under load. N users in rooms, each a
long-polling client changing presence and sending messages; per step, the delivery latency of
each presence change to each roommate (p50/p95/p99/max), deliveries missing or late past the
target's declared deadline, presence shown to users who share no room (a leak: a failure of
PRES-VIS-NONSHARED-SYNC), the server's CPU and peak RSS (/proc for embedded servers, the
engine's stats for docker, none for url targets), the harness's own CPU, and for a pair the
EDUs and bytes per second across the link. Writes <report-dir>/bench.json and prints a table.

Usage:
  presence-conformance bench [flags]
  npm run bench -- [flags]             (npm run bench:suite: the suite's wall-time benchmark)

Workload and output:
${Object.entries(BENCH_FLAGS).map(([name, flag]) => helpLine(name, flag)).join('\n')}

Target (as for run, see presence-conformance run --help): ${TARGET_FLAGS.map((f) => `--${f}`).join(', ')}.
  Several targets (--target synapse,dendrite,tuwunel) run side by side as memory allows.

Exit codes: 0 done, no leak; 1 a leak was seen (PRES-VIS-NONSHARED-SYNC); 2 the bench could
not run (bad flags, a target that could not start; bench.json is still written); 130 interrupted.

Example:
  npm run bench -- --target synapse,dendrite,tuwunel --users 10,50,100,200
`;

function positive(name: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value)) || (integer && value === 0)) {
    throw new HarnessError(`--${name} needs a ${integer ? 'positive whole number' : 'non-negative number'}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const options = {
    ...Object.fromEntries(TARGET_FLAGS.map((name) => [name, { type: RUN_FLAGS[name].type }])),
    ...Object.fromEntries(Object.entries(BENCH_FLAGS).map(([name, flag]) => [name, { type: flag.type, ...(flag.default !== undefined ? { default: flag.default } : {}) }])),
  } as Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, allowPositionals: false }) as { values: Record<string, string | boolean | undefined> });
  } catch (cause) {
    throw new HarnessError(`${cause instanceof Error ? cause.message : String(cause)} (see bench --help)`);
  }
  const text = (name: string) => values[name] as string;
  // The target flags as given, through run's parser: the same checks, the same messages.
  const targetArgv = TARGET_FLAGS.flatMap((name) => {
    const value = values[name];
    if (value === undefined || value === false) return [];
    return value === true ? [`--${name}`] : [`--${name}`, value];
  });
  const target = parseCli(targetArgv, env);
  const users = text('users').split(',').map((v) => positive('users', v.trim(), true));
  if (users.some((n, i) => i > 0 && n <= users[i - 1]!)) throw new HarnessError(`--users needs an ascending series, got ${text('users')}`);
  if (users.some((n) => n > MAX_USERS)) throw new HarnessError(`--users: at most ${MAX_USERS} users per step, got ${text('users')}`);
  if (users.some((n) => n < 4)) throw new HarnessError(`--users: each step needs at least 4 users (two clusters of two), got ${text('users')}`);
  let seed = Math.floor(Math.random() * 2 ** 31);
  if (values.seed !== undefined) seed = positive('seed', text('seed'), false);
  if (!Number.isInteger(seed)) throw new HarnessError(`--seed needs a non-negative integer, got ${text('seed')}`);
  return {
    target: { targets: target.targets, url: target.url, container: target.container, binaries: target.binaries },
    users,
    roomSizes: parseRoomSizes(text('room-sizes')),
    roomSizesText: text('room-sizes'),
    stepSeconds: positive('step-seconds', text('step-seconds'), true),
    rates: {
      presenceChangesPerMinute: positive('presence-per-minute', text('presence-per-minute'), false),
      messagesPerMinute: positive('messages-per-minute', text('messages-per-minute'), false),
      quietSpellsPerMinute: positive('quiet-per-minute', text('quiet-per-minute'), false),
      quietSpellMs: positive('quiet-seconds', text('quiet-seconds'), false) * 1000,
    },
    maxRequests: positive('max-requests', text('max-requests'), true),
    maxSeconds: positive('max-seconds', text('max-seconds'), true),
    seed,
    reportDir: text('report-dir'),
    oneAtATime: values['one-at-a-time'] === true,
    keepUsers: values['keep-users'] === true,
    skipBaseline: values['skip-baseline'] === true,
    help: values.help === true,
  };
}
