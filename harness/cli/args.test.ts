import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.js';
import { HELP, parseCli } from './args.js';

describe('parseCli', () => {
  it('defaults to the embedded Synapse, reports/latest and the spec example timings', () => {
    const o = parseCli([], {});
    expect(o).toMatchObject({ command: 'run', target: 'synapse', reportDir: 'reports/latest', failOn: 'must' });
    expect(o.timings.idleTimeoutMs).toBe(300_000);
    expect(Number.isInteger(o.seed)).toBe(true);
  });

  it('reads a url target with its timings, secret from the environment', () => {
    const o = parseCli(['--target', 'url', '--base-url', 'http://127.0.0.1:8008', '--idle-timeout', '20000', '--seed', '7'], { PRESENCE_REGISTRATION_SECRET: 'sekrit' });
    expect(o.registration).toEqual({ kind: 'shared-secret', secret: 'sekrit' });
    expect(o.timings.idleTimeoutMs).toBe(20_000);
    expect(o.seed).toBe(7);
  });

  it.each([
    [['--target', 'docker']],
    [['--target', 'url']],
    [['--target', 'url', '--base-url', 'http://x']],
    [['--idle-timeout', '-5', '--target', 'url', '--base-url', 'http://x', '--open-registration']],
    [['--seed', 'abc']],
    [['--bogus']],
    [['--fail-on', 'may']],
    [['--base-url', 'http://x']],
    [['extra']],
    [['--only', 'PRES-NOPE']],
    [['--max-wait', '0']],
    [['--slow', '--max-wait', '5000']],
  ])('rejects %j with a one-line HarnessError', (argv) => {
    expect(() => parseCli(argv, {})).toThrow(HarnessError);
  });

  it('budgets waits at 120 s unless --max-wait sets it or --slow lifts it', () => {
    expect(parseCli([], {}).maxWaitMs).toBe(120_000);
    expect(parseCli(['--max-wait', '10000'], {}).maxWaitMs).toBe(10_000);
    expect(parseCli(['--slow'], {}).maxWaitMs).toBeNull();
  });

  it('documents every flag in --help, with an example', () => {
    for (const flag of ['--target', '--base-url', '--server-name', '--registration-secret', '--open-registration', '--idle-timeout', '--only', '--report-dir', '--seed', '--expect', '--strict-expect', '--fail-on', '--max-wait', '--slow']) {
      expect(HELP).toContain(flag);
    }
    expect(HELP).toMatch(/Examples:/);
  });
});
