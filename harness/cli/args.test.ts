import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.js';
import { TARGET_KINDS } from '../targets/registry.js';
import { HELP, RUN_FLAGS, parseCli } from './args.js';

describe('parseCli', () => {
  it('runs several targets side by side unless --one-at-a-time', () => {
    expect(parseCli(['--target', 'synapse,dendrite'], {}).oneAtATime).toBe(false);
    expect(parseCli(['--target', 'synapse,dendrite', '--one-at-a-time'], {}).oneAtATime).toBe(true);
    expect(HELP).toMatch(/--one-at-a-time +with several targets, run them one after the other/);
  });

  it('defaults to the embedded Synapse and reports/latest', () => {
    const o = parseCli([], {});
    expect(o).toMatchObject({ command: 'run', targets: ['synapse'], reportDir: 'reports/latest', failOn: 'must' });
    expect(o.url).toBeUndefined();
    expect(Number.isInteger(o.seed)).toBe(true);
  });

  it('reads a url target with its timings (the spec example values by default), secret from the environment', () => {
    const o = parseCli(['--target', 'url', '--base-url', 'http://127.0.0.1:8008', '--idle-timeout', '20000', '--seed', '7'], { PRESENCE_REGISTRATION_SECRET: 'sekrit' });
    expect(o.url?.registration).toEqual({ kind: 'shared-secret', secret: 'sekrit' });
    expect(o.url?.timings.idleTimeoutMs).toBe(20_000);
    expect(o.url?.timings.activeWindowMs).toBe(60_000);
    expect(o.url?.serverVersion).toBeUndefined();
    expect(o.seed).toBe(7);
  });

  const url = ['--target', 'url', '--base-url', 'http://127.0.0.1:8008', '--open-registration'];

  it('registers with a token from --registration-token or PRESENCE_REGISTRATION_TOKEN, and refuses it beside --open-registration', () => {
    const bare = ['--target', 'url', '--base-url', 'http://127.0.0.1:8008'];
    expect(parseCli([...bare, '--registration-token', 'tok-flag-1'], {}).url?.registration).toEqual({ kind: 'token', token: 'tok-flag-1' });
    expect(parseCli(bare, { PRESENCE_REGISTRATION_TOKEN: 'tok-env-01' }).url?.registration).toEqual({ kind: 'token', token: 'tok-env-01' });
    expect(() => parseCli([...url, '--registration-token', 'tok-flag-1'], {})).toThrow(HarnessError);
    expect(HELP).toMatch(/--registration-token <t> +register users with m\.login\.registration_token/);
  });

  it('accepts --first-check-after 0, its documented default (0 means the first check may come at once)', () => {
    expect(HELP).toMatch(/--first-check-after <ms>[\s\S]*?\(default 0\)/);
    expect(parseCli([...url, '--first-check-after', '0'], {}).url?.timings.firstCheckAfterMs).toBe(0);
    expect(parseCli([...url, '--first-check-after', '30000'], {}).url?.timings.firstCheckAfterMs).toBe(30_000);
    expect(parseCli(url, {}).url?.timings.firstCheckAfterMs).toBe(0);
  });

  it('takes --first-cycle-by, counted from the run start; 0 allowed; default two longest cycles', () => {
    expect(HELP).toMatch(/--first-cycle-by <ms>[\s\S]*?\(default: 2 x the\s+longest cycle/);
    expect(parseCli([...url, '--longest-cycle', '60000'], {}).url?.timings.firstCycleByMs).toBe(120_000);
    expect(parseCli([...url, '--longest-cycle', '60000', '--first-cycle-by', '0'], {}).url?.timings.firstCycleByMs).toBe(0);
    expect(parseCli(['--target', 'docker', '--image', 'x', '--first-cycle-by', '90000'], {}).container?.timings.firstCycleByMs).toBe(90_000);
    expect(() => parseCli(['--first-cycle-by', '90000'], {})).toThrow(/timing flags apply to --target url\|docker only/);
  });

  it.each([['--first-cycle-by', '-1'], ['--first-check-after', '-1'], ['--first-check-after', ''], ['--first-check-after', '1.5'], ['--idle-timeout', '0'], ['--active-window', '0'], ['--check-interval', '0'], ['--sync-online-timeout', '0'], ['--delivery-timeout', '0']])(
    'refuses %s %j (0 only where it means something)',
    (flag, value) => {
      expect(() => parseCli([...url, flag, value], {})).toThrow(HarnessError);
    },
  );

  it('takes --ca-file and, for a url target, --server-name in place of --base-url (discovery); refuses them elsewhere', () => {
    const discovered = parseCli(['--target', 'url', '--server-name', 'localhost:8448', '--ca-file', 'ca.pem', '--open-registration'], {});
    expect(discovered.url).toMatchObject({ baseUrl: undefined, serverName: 'localhost:8448', caFile: 'ca.pem' });
    expect(() => parseCli(['--target', 'url', '--open-registration'], {})).toThrow('--target url needs --base-url, or --server-name to discover it (see --help)');
    expect(() => parseCli(['--ca-file', 'ca.pem'], {})).toThrow('--base-url and --ca-file apply to --target url only');
    expect(() => parseCli(['--target', 'docker', '--image', 'x', '--ca-file', 'ca.pem'], {})).toThrow(HarnessError);
  });

  it('takes --server-version for a url target, and refuses it for an embedded one', () => {
    expect(parseCli([...url, '--server-version', 'Dendrite 0.13.8'], {}).url?.serverVersion).toBe('Dendrite 0.13.8');
    expect(() => parseCli(['--server-version', 'Synapse 1'], {})).toThrow(HarnessError);
  });

  it('takes several targets, comma-separated, in order; one of them may be a url target', () => {
    expect(parseCli(['--target', 'synapse,dendrite'], {}).targets).toEqual(['synapse', 'dendrite']);
    const mixed = parseCli(['--target', 'dendrite,url', '--base-url', 'http://127.0.0.1:8008', '--open-registration'], {});
    expect(mixed.targets).toEqual(['dendrite', 'url']);
    expect(mixed.url?.baseUrl).toBe('http://127.0.0.1:8008');
  });

  it.each([[['--target', 'synapse,synapse']], [['--target', 'synapse,podman']], [['--target', 'url,docker', '--base-url', 'http://127.0.0.1:8008', '--image', 'x', '--open-registration']], [['--target', 'synapse,']], [['--target', 'synapse,dendrite', '--idle-timeout', '1000']]])(
    'refuses the target list %j',
    (argv) => {
      expect(() => parseCli(argv, {})).toThrow(HarnessError);
    },
  );

  it('reads a docker target: the image, the Complement secret unless a registration flag says otherwise, only the timing flags given', () => {
    const o = parseCli(['--target', 'synapse,docker', '--image', 'presence-conformance/synapse:1', '--idle-timeout', '20000'], {});
    expect(o.targets).toEqual(['synapse', 'docker']);
    expect(o.container).toEqual({ image: 'presence-conformance/synapse:1', serverName: undefined, serverVersion: undefined, registration: undefined, timings: expect.objectContaining({ idleTimeoutMs: 20_000, activeWindowMs: undefined }) });
    expect(parseCli(['--target', 'docker', '--image', 'x', '--registration-secret', 's'], {}).container?.registration).toEqual({ kind: 'shared-secret', secret: 's' });
    expect(() => parseCli(['--target', 'docker'], {})).toThrow(/needs --image/);
    expect(() => parseCli(['--image', 'x'], {})).toThrow(/--target docker only/);
    expect(() => parseCli(['--target', 'docker', '--image', 'x', '--base-url', 'http://127.0.0.1:1'], {})).toThrow(/--base-url/);
  });

  it('names every registered target in --help and in the error for an unknown one', () => {
    for (const kind of TARGET_KINDS) expect(HELP).toContain(`${kind}:`);
    expect(() => parseCli(['--target', 'podman'], {})).toThrow(new RegExp(TARGET_KINDS.join(', ').replace(/[+]/g, '\\+')));
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
    [['--repeat', '0']],
    [['--repeat', '1.5']],
    [['--repeat', 'twice']],
  ])('rejects %j with a one-line HarnessError', (argv) => {
    expect(() => parseCli(argv, {})).toThrow(HarnessError);
  });

  it('budgets waits at 150 s unless --max-wait sets it or --slow lifts it', () => {
    expect(parseCli([], {}).maxWaitMs).toBe(150_000);
    expect(parseCli(['--max-wait', '10000'], {}).maxWaitMs).toBe(10_000);
    expect(parseCli(['--slow'], {}).maxWaitMs).toBeNull();
  });

  it('gates tentative requirements only with --fail-on tentative, and selects their area with --only PRES-TENT', () => {
    expect(parseCli(['--fail-on', 'tentative'], {}).failOn).toBe('tentative');
    expect(parseCli(['--only', 'PRES-TENT'], {}).only).toBe('PRES-TENT');
    expect(HELP).toMatch(/--fail-on must\|should\|tentative\n[\s\S]*?never gate, not even their MUSTs/);
  });

  it('runs the selection once unless --repeat asks for more', () => {
    expect(parseCli([], {}).repeat).toBe(1);
    expect(parseCli(['--repeat', '20'], {}).repeat).toBe(20);
  });

  it('removes the test users unless --keep-users keeps them', () => {
    expect(parseCli([], {}).keepUsers).toBe(false);
    expect(parseCli(['--keep-users'], {}).keepUsers).toBe(true);
  });

  it('shows the progress line unless --verbose asks for vitest\'s own output', () => {
    expect(parseCli([], {}).verbose).toBe(false);
    expect(parseCli(['--verbose'], {}).verbose).toBe(true);
  });

  it('documents every flag in --help, each on a line of its own, and no flag the parser does not know, with an example', () => {
    // A flag named only in prose (or in another flag's text) is not documented.
    const documented = [...HELP.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
    const parsed = Object.keys(RUN_FLAGS).filter((flag) => flag !== 'help');
    expect(documented.sort()).toEqual(parsed.sort());
    expect(HELP).toMatch(/Examples:/);
  });
});
