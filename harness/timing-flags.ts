import { HarnessError } from './errors.js';
import { FIRST_CYCLE_BY_CYCLES, SPEC_EXAMPLE_TIMINGS, type TargetTimings } from './timings.js';

/**
 * The one table of the timing flags: for every key of TargetTimings, the
 * `run` flag that declares it (or why none does). Parsing (cli/args.ts), the
 * --help text, the defaults it names, the flags an e2e test passes to a url
 * run (testing/run-cli.ts) and the keys an image's timings label may hold
 * (targets/docker/labels.ts) are all read from here, so a new timer is one
 * row.
 */
export interface TimingFlag {
  /** The flag's name, without `--`; its value is a whole number of milliseconds. */
  readonly flag: string;
  /** 0 is accepted (a delay, where 0 means "at once"); for thresholds, windows and intervals 0 is meaningless. */
  readonly zeroAllowed: boolean;
  /** Its --help text, one string per line as printed (the last one ends with the default). */
  readonly help: readonly string[];
}

/** A key no flag declares, and why. */
export interface NoTimingFlag {
  readonly flag: null;
  readonly why: string;
}

const spec = SPEC_EXAMPLE_TIMINGS;

/** In --help order. Each key of TargetTimings is here once (the type requires it). */
export const TIMING_FLAGS = {
  idleTimeoutMs: { flag: 'idle-timeout', zeroAllowed: false, help: [`idle threshold before online -> unavailable (default ${spec.idleTimeoutMs})`] },
  activeWindowMs: { flag: 'active-window', zeroAllowed: false, help: [`how long a user stays currently_active (default ${spec.activeWindowMs})`] },
  syncOnlineTimeoutMs: { flag: 'sync-online-timeout', zeroAllowed: false, help: [`how long a user who stops syncing stays online (default ${spec.syncOnlineTimeoutMs})`] },
  checkIntervalMs: { flag: 'check-interval', zeroAllowed: false, help: [`how often the server evaluates presence timers (default ${spec.checkIntervalMs})`] },
  // Its default is completeTimings' rule, not a spec example value.
  longestCycleMs: {
    flag: 'longest-cycle',
    zeroAllowed: false,
    help: [
      "period of the server's longest periodic presence job; a check",
      'that something never happens watches at least this long',
      '(default: the check interval)',
    ],
  },
  firstCycleByMs: {
    flag: 'first-cycle-by',
    zeroAllowed: true,
    help: [
      'the latest that job may first run, counted from the start of',
      'the run (the server may have just booted); such checks watch',
      `until then too, and the report says so (default: ${FIRST_CYCLE_BY_CYCLES} x the`,
      'longest cycle; 0: the server has been up for longer)',
    ],
  },
  deliveryMs: { flag: 'delivery-timeout', zeroAllowed: false, help: [`how long a change may take to reach a roommate (default ${spec.deliveryMs})`] },
  firstCheckAfterMs: {
    flag: 'first-check-after',
    zeroAllowed: true,
    help: [
      "delay before the server's first timer evaluation, counted",
      `from the start of the run (default ${spec.firstCheckAfterMs})`,
    ],
  },
  firstCycleAfterMs: { flag: null, why: 'only a target that knows when it booted can say (an embedded target, an image label); a url target gives --first-cycle-by' },
  slackMs: { flag: null, why: "the harness's allowance for request latency, not a timer of the server" },
} as const satisfies { readonly [K in keyof Required<TargetTimings>]: TimingFlag | NoTimingFlag };

type Table = typeof TIMING_FLAGS;
type FlaggedKey = { [K in keyof Table]: Table[K]['flag'] extends string ? K : never }[keyof Table];
/** The name of a timing flag, without `--`. */
export type TimingFlagName = Table[FlaggedKey]['flag'];

/** Every key of TargetTimings, in table order (an image's timings label may name each). */
export const TIMING_KEYS = Object.keys(TIMING_FLAGS) as Array<keyof Table>;

/** The rows that have a flag, in --help order. */
export const FLAGGED_TIMINGS: ReadonlyArray<{ key: FlaggedKey } & TimingFlag> = TIMING_KEYS.flatMap((key) => {
  const row: TimingFlag | NoTimingFlag = TIMING_FLAGS[key];
  return row.flag === null ? [] : [{ key: key as FlaggedKey, ...row }];
});

/** node:util parseArgs options of the timing flags (each takes a string value). */
export const TIMING_FLAG_OPTIONS = Object.fromEntries(FLAGGED_TIMINGS.map(({ flag }) => [flag, { type: 'string' }])) as {
  readonly [F in TimingFlagName]: { readonly type: 'string' };
};

/**
 * A timing flag's value. Positive unless `zeroAllowed` (a delay such as
 * --first-check-after, where 0 means "at once"; for thresholds, windows and
 * intervals 0 is meaningless).
 */
export function milliseconds(flag: string, value: string | undefined, fallback: number, zeroAllowed = false): number {
  if (value === undefined) return fallback;
  const n = Number(value.trim() === '' ? Number.NaN : value);
  const min = zeroAllowed ? 0 : 1;
  if (!Number.isInteger(n) || n < min) {
    throw new HarnessError(`--${flag} needs a ${zeroAllowed ? 'non-negative' : 'positive'} whole number of milliseconds, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** The timings the flags given declare (only those: an image's labels fill the rest before the spec's examples do). */
export function timingsFromFlags(values: Partial<Record<TimingFlagName, string>>): Partial<TargetTimings> {
  const timings: Partial<TargetTimings> = {};
  for (const { key, flag, zeroAllowed } of FLAGGED_TIMINGS) {
    const value = values[flag as TimingFlagName];
    // Every flagged key is present, undefined when its flag was not given: the shape parseCli gave before the table.
    timings[key] = value === undefined ? undefined : milliseconds(flag, value, 0, zeroAllowed);
  }
  return timings;
}

/** The --help lines of the timing flags, aligned like the rest of the text. */
export function timingFlagsHelp(): string {
  return FLAGGED_TIMINGS.flatMap(({ flag, help }) => help.map((line, i) => (i === 0 ? `  ${`--${flag} <ms>`.padEnd(30)}${line}` : `${' '.repeat(32)}${line}`))).join('\n');
}

