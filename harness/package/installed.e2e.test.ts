import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../errors.js';
import type { Results } from '../results/model.js';
import { pack } from './pack.js';

const run = promisify(execFile);

/** Runs a command, resolving with its exit code and output whatever the code. */
async function exec(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (cause) {
    const failed = cause as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(cause) };
  }
}

// The packed package as a user gets it: installed from its tarball into an
// empty folder, far from this checkout, and run from there. Whatever the run
// resolves relative to the project (the suites, vitest's root, the target
// templates, the results schema) must come from the installed package.
describe('the packed package, installed into an empty folder', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs presence-conformance --help and a short run against the embedded Synapse', { timeout: 600_000 }, async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'presence-pack-'));
    const app = path.join(dir, 'app');
    await mkdir(app);
    const { filename } = await pack(dir);
    await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'adopter', private: true }));
    // The local npm cache first: the dependencies are the checkout's own, already fetched once.
    const install = await exec('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', path.join(dir, filename)], app);
    expect(install.code, install.stderr).toBe(0);

    const bin = path.join(app, 'node_modules', '.bin', 'presence-conformance');
    const help = await exec(bin, ['--help'], app);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^presence-conformance: does a Matrix homeserver's presence module do what the spec says\?/);

    const reports = path.join(dir, 'report');
    // The expectations ship in the package: Synapse's known PRES-FFC failures (M_UNKNOWN) do not gate.
    const expectations = path.join(app, 'node_modules', 'matrix-presence-conformance', 'reports', 'expectations', 'synapse.json');
    const ffc = await exec(bin, ['run', '--only', 'PRES-FFC', '--expect', expectations, '--report-dir', reports], app);
    expect(ffc.code, ffc.stderr.slice(-3000)).toBe(EXIT.ok);
    const results = JSON.parse(await readFile(path.join(reports, 'results.json'), 'utf8')) as Results;
    const ffcVerdicts = Object.fromEntries(results.requirements.filter((r) => r.id.startsWith('PRES-FFC')).map((r) => [r.id, r.verdict]));
    expect(Object.keys(ffcVerdicts).length).toBeGreaterThan(3);
    expect(Object.values(ffcVerdicts).filter((v) => v !== 'pass' && v !== 'fail')).toEqual([]);
    expect(ffcVerdicts['PRES-FFC-PUT']).toBe('pass');
  });
});
