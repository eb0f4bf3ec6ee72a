import { describe, expect, it } from 'vitest';
import { HELP, RUN_FLAGS, parseCli } from './cli/args.js';
import { timingFlagsOf } from './testing/run-cli.js';
import { FLAGGED_TIMINGS, TIMING_FLAGS, TIMING_KEYS } from './timing-flags.js';
import { SPEC_EXAMPLE_TIMINGS, completeTimings, type TargetTimings } from './timings.js';

/** Every key of TargetTimings, stated apart from the table so that a row dropped from it fails here. */
const EVERY_KEY: { [K in keyof Required<TargetTimings>]: true } = {
  idleTimeoutMs: true, activeWindowMs: true, syncOnlineTimeoutMs: true, checkIntervalMs: true, firstCheckAfterMs: true,
  longestCycleMs: true, firstCycleAfterMs: true, firstCycleByMs: true, deliveryMs: true, slackMs: true,
};

describe('the timing flags table', () => {
  it('has each TargetTimings key once, with exactly one flag or a reason for none; no flag twice', () => {
    expect([...TIMING_KEYS].sort()).toEqual(Object.keys(EVERY_KEY).sort());
    const flags = FLAGGED_TIMINGS.map((row) => row.flag);
    expect(new Set(flags).size).toBe(flags.length);
    for (const key of TIMING_KEYS) {
      const row: { flag: string | null; why?: string } = TIMING_FLAGS[key];
      if (row.flag === null) expect(row.why, key).toMatch(/\w/);
      else expect(FLAGGED_TIMINGS.filter((r) => r.key === key), key).toHaveLength(1);
    }
  });

  it('drives parsing: each flag is a run flag and sets its own key', () => {
    const url = ['--target', 'url', '--base-url', 'http://127.0.0.1:8008', '--open-registration'];
    FLAGGED_TIMINGS.forEach(({ key, flag }, i) => {
      expect(RUN_FLAGS, flag).toHaveProperty([flag], { type: 'string' });
      const value = 10_000 + i;
      expect(parseCli([...url, `--${flag}`, String(value)], {}).url?.timings[key], flag).toBe(value);
    });
  });

  it('drives --help: each flag listed once, once with its spec-example default where it has one', () => {
    for (const { key, flag } of FLAGGED_TIMINGS) {
      expect(HELP.match(new RegExp(`^  --${flag} <ms> `, 'gm')), flag).toHaveLength(1);
      const parsedDefault = completeTimings({})[key];
      const stated = new RegExp(`--${flag} <ms>[^-]*?\\(default (\\d+)\\)`).exec(HELP)?.[1];
      if (stated !== undefined) {
        expect(Number(stated), flag).toBe(SPEC_EXAMPLE_TIMINGS[key]);
        expect(Number(stated), flag).toBe(parsedDefault);
      }
    }
  });

  it('drives the flags an e2e test declares a server with', () => {
    const t = { ...completeTimings({}), idleTimeoutMs: 1_234, longestCycleMs: 60_000 };
    const flags = timingFlagsOf(t, true);
    expect(flags).toEqual(expect.arrayContaining(['--idle-timeout', '1234', '--longest-cycle', '60000']));
    expect(flags).not.toContain('--first-cycle-by');
    expect(timingFlagsOf(t)).not.toContain('--longest-cycle');
  });
});
