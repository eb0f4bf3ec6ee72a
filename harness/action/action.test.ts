import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli, RUN_FLAGS } from '../cli/args.js';
import { FLAGGED_TIMINGS } from '../timing-flags.js';
import { REPORT_FOLDER } from '../reports/report-folder.js';
import { readAction, runAsScript, type ActionStep } from './composite.js';
import { fakeNpm, recorded, recordingSuite } from './stand-ins.js';

const action = await readAction();
const steps = action.runs.steps;
const runStep = steps.find((s) => s.id === 'run') as ActionStep & { run: string; env: Record<string, string> };
const tmp: string[] = [];
afterAll(async () => Promise.all(tmp.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Inputs that are no flag of `run`: the runner's Node, free-form flags, the artifact's name. */
const NOT_FLAGS = ['node-version', 'args', 'artifact-name'];

/** The flag each input becomes in the run step: `value --flag "$IN_X"` / `switch --flag "$IN_X"`, IN_X being `${{ inputs.name }}`. */
function flagOfInput(): Map<string, { flag: string; kind: 'value' | 'switch' | 'env' }> {
  const envOf = new Map(Object.entries(runStep.env).map(([variable, value]) => [variable, /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value)?.[1]]));
  const map = new Map<string, { flag: string; kind: 'value' | 'switch' | 'env' }>();
  for (const [, kind, flag, variable] of runStep.run.matchAll(/^(value|switch) --([\w-]+) "\$(\w+)"$/gm)) {
    // Two go through a variable of the script: $expect (resolved against the workspace, then the suite) and $report_dir (made absolute).
    const input = variable === 'expect' || variable === 'report_dir' ? variable.replace('_', '-') : envOf.get(variable!);
    if (input) map.set(input, { flag: flag!, kind: kind as 'value' | 'switch' });
  }
  // The shared secret reaches the CLI through the environment it reads (kept out of process lists).
  if (envOf.get('PRESENCE_REGISTRATION_SECRET')) map.set(envOf.get('PRESENCE_REGISTRATION_SECRET')!, { flag: 'registration-secret', kind: 'env' });
  return map;
}

describe('action.yml', () => {
  it('is a composite action that sets up Node, installs the suite, runs it, publishes summary and report even when the run fails, then gates', () => {
    expect(action.runs.using).toBe('composite');
    const uses = steps.map((s) => s.uses ?? s.name);
    expect(uses).toEqual(['actions/setup-node@v4', 'Install the suite', 'Run the suite', 'Job summary', 'actions/upload-artifact@v4', 'Gate']);
    for (const name of ['Job summary', 'actions/upload-artifact@v4']) expect(steps.find((s) => (s.uses ?? s.name) === name)?.if, name).toBe('always()');
    expect(steps.find((s) => s.uses === 'actions/upload-artifact@v4')?.with?.path).toBe('${{ steps.run.outputs.report-dir }}');
    // No input is spliced into a script's text: values reach bash only through env.
    for (const step of steps) expect(step.run ?? '', step.name).not.toMatch(/\$\{\{\s*inputs\./);
  });

  it('every input but the runner\'s is one flag of `run`, of the right kind; every timing flag has its input', () => {
    const map = flagOfInput();
    const inputs = Object.keys(action.inputs).filter((name) => !NOT_FLAGS.includes(name));
    expect([...map.keys()].sort()).toEqual(inputs.sort());
    for (const [input, { flag, kind }] of map) {
      const option = RUN_FLAGS[flag as keyof typeof RUN_FLAGS];
      expect(option, `${input} -> --${flag}`).toBeDefined();
      expect(option.type, `${input} -> --${flag}`).toBe(kind === 'switch' ? 'boolean' : 'string');
      expect(input, 'an input is named as its flag').toBe(flag);
    }
    for (const { flag } of FLAGGED_TIMINGS) expect(map.get(flag)?.flag, flag).toBe(flag);
    // Defaults are the CLI's own.
    expect(action.inputs.target?.default).toBe(RUN_FLAGS.target.default);
    expect(action.inputs['fail-on']?.default).toBe(RUN_FLAGS['fail-on'].default);
  });

  it('run as a script, turns its inputs into an argv parseCli accepts, secret through the environment, and gates by the exit code after summary and upload', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'presence-action-'));
    tmp.push(dir);
    const suite = await recordingSuite(dir, 1);
    const timings = Object.fromEntries(FLAGGED_TIMINGS.map(({ flag }, i) => [flag, String(60_000 + i)]));
    const run = await runAsScript(action, {
      dir,
      actionPath: suite,
      env: await fakeNpm(dir),
      with: {
        target: 'docker',
        image: 'my-homeserver:complement',
        'server-name': 'hs.localhost',
        'registration-secret': 'not-a-real-secret',
        expect: '.github/presence-expectations.json',
        'strict-expect': 'true',
        'fail-on': 'should',
        only: 'PRES-FFC,PRES-IDLE',
        slow: 'true',
        ...timings,
        'report-dir': 'out/presence report',
        args: '--seed 42 --repeat 2',
      },
    });
    expect(await readFile(path.join(dir, 'npm-calls'), 'utf8')).toBe('npm ci --omit=dev --no-audit --no-fund\n');
    const runStepRun = run.steps.find((s) => s.name === 'Run the suite')!;
    expect(runStepRun.code).toBe(0);
    const { argv, secret } = recorded(runStepRun.stdout);
    expect(argv).not.toContain('not-a-real-secret');
    expect(secret).toBe('not-a-real-secret');
    expect(argv[0]).toBe('run');
    const reportDir = path.join(dir, 'workspace', 'out', 'presence report');
    const options = parseCli(argv.slice(1), { PRESENCE_REGISTRATION_SECRET: secret! });
    expect(options).toMatchObject({
      targets: ['docker'],
      container: { image: 'my-homeserver:complement', serverName: 'hs.localhost', registration: { kind: 'shared-secret', secret: 'not-a-real-secret' } },
      expect: '.github/presence-expectations.json',
      strictExpect: true,
      failOn: 'should',
      only: 'PRES-FFC,PRES-IDLE',
      maxWaitMs: null,
      reportDir,
      seed: 42,
      repeat: 2,
    });
    for (const { key, flag } of FLAGGED_TIMINGS) expect(options.container?.timings[key], flag).toBe(Number(timings[flag]));
    expect(run.outputs.run).toEqual({ 'exit-code': '1', 'report-dir': reportDir });
    // No summary.md from the stand-in: the summary says so; the report folder is still uploaded; the gate fails with the run's code.
    expect(run.summary).toContain('wrote no summary');
    expect(run.used.find((u) => u.uses === 'actions/upload-artifact@v4')?.with).toMatchObject({ name: 'presence-report', path: reportDir });
    expect(run.steps.at(-1)).toMatchObject({ name: 'Gate', code: 1 });
  });

  it('defaults: the embedded Synapse, no flags beyond the report folder; an expectations path the workspace lacks is the suite\'s own', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'presence-action-'));
    tmp.push(dir);
    const suite = await recordingSuite(dir, 0);
    await mkdir(path.join(suite, 'reports', 'expectations'), { recursive: true });
    await writeFile(path.join(suite, 'reports', 'expectations', 'synapse.json'), '{}');
    const plain = await runAsScript(action, { dir, actionPath: suite, env: await fakeNpm(dir), with: {} });
    const { argv } = recorded(plain.steps.find((s) => s.name === 'Run the suite')!.stdout);
    expect(argv).toEqual(['run', '--report-dir', path.join(dir, 'workspace', 'presence-report'), '--target', 'synapse', '--fail-on', 'must']);
    expect(plain.steps.at(-1)).toMatchObject({ name: 'Gate', code: 0 });

    const shipped = await runAsScript(action, { dir, actionPath: suite, env: await fakeNpm(dir), with: { expect: 'reports/expectations/synapse.json' } });
    const second = recorded(shipped.steps.find((s) => s.name === 'Run the suite')!.stdout);
    expect(second.argv).toContain(path.join(suite, 'reports', 'expectations', 'synapse.json'));
  });

  it('appends the run\'s summary.md to the job summary', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'presence-action-'));
    tmp.push(dir);
    const suite = await recordingSuite(dir, 0);
    const report = path.join(dir, 'workspace', 'presence-report');
    await mkdir(report, { recursive: true });
    await writeFile(path.join(report, REPORT_FOLDER.summary), '## Presence conformance\n| PRES-FFC-PUT | pass |\n');
    const run = await runAsScript(action, { dir, actionPath: suite, env: await fakeNpm(dir), with: {} });
    expect(run.summary).toBe('## Presence conformance\n| PRES-FFC-PUT | pass |\n');
  });
});
