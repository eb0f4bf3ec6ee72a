import { describe, expect, it } from 'vitest';
import { BENCH_FLAGS, BENCH_HELP, parseBenchArgs } from './bench-args.js';

describe('bench flags', () => {
  it('--help names every flag of the table, and the target flags of run', () => {
    for (const name of Object.keys(BENCH_FLAGS)) expect(BENCH_HELP).toContain(`--${name}`);
    for (const name of ['--target', '--base-url', '--binary', '--image', '--open-registration', '--delivery-timeout']) expect(BENCH_HELP).toContain(name);
  });

  it('parses the step series, the workload and several targets; the target part through run\'s parser', () => {
    const options = parseBenchArgs(['--target', 'synapse,dendrite', '--users', '10,50', '--seed', '9', '--step-seconds', '30', '--one-at-a-time'], {});
    expect(options.target.targets).toEqual(['synapse', 'dendrite']);
    expect(options).toMatchObject({ users: [10, 50], seed: 9, stepSeconds: 30, oneAtATime: true });
    expect(options.rates.quietSpellMs).toBe(20_000);
    const url = parseBenchArgs(['--target', 'url', '--base-url', 'http://127.0.0.1:8008', '--open-registration', '--delivery-timeout', '2000'], {});
    expect(url.target.url).toMatchObject({ baseUrl: 'http://127.0.0.1:8008', registration: { kind: 'open' } });
    expect(url.target.url!.timings.deliveryMs).toBe(2000);
  });

  it('refuses bad input with a one-line cause', () => {
    expect(() => parseBenchArgs(['--users', '50,10'], {})).toThrow(/ascending/);
    expect(() => parseBenchArgs(['--users', '2'], {})).toThrow(/at least 4/);
    expect(() => parseBenchArgs(['--users', '10,5000'], {})).toThrow(/at most 1000/);
    expect(() => parseBenchArgs(['--step-seconds', '0'], {})).toThrow(/positive whole number/);
    expect(() => parseBenchArgs(['--target', 'url'], {})).toThrow(/needs --base-url/);
    expect(() => parseBenchArgs(['--room-sizes', '1:1'], {})).toThrow(/size:weight/);
    expect(() => parseBenchArgs(['--bogus'], {})).toThrow(/see bench --help/);
  });
});
