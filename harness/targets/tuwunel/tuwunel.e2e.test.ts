import { readFile, readdir, rm, writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../story/clock.js';
import type { Results } from '../../results/model.js';
import { processesOwnedBy } from '../managed-process.js';
import { lastLine, runCli } from '../../testing/run-cli.js';
import { binaryEnv } from '../registry.js';

const TUWUNEL_BINARY_ENV = binaryEnv('tuwunel');

// The binary is the user's (an implementer's CI hands over its own build):
// without it the tests that boot tuwunel skip, and their title says why.
const binary = process.env[TUWUNEL_BINARY_ENV];
const missing = binary ? '' : ` (skipped: no tuwunel binary, set ${TUWUNEL_BINARY_ENV})`;

const reportDir = (name: string) => path.resolve('reports/tmp', name);
const readResults = async (dir: string): Promise<Results> => JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as Results;
const workDirs = async () => (await readdir(os.tmpdir())).filter((entry) => entry.startsWith('presence-conformance-tuwunel-'));

async function expectNothingLeft(dir: string): Promise<void> {
  await eventually(async () => processesOwnedBy(dir), (pids) => pids.length === 0, { deadline: Date.now() + 10_000, what: `no process tagged ${dir}`, intervalMs: 200 });
}

describe('presence-conformance run --target tuwunel', () => {
  // A scoped run: a full one takes its timers' minutes (README.md in this folder).
  it.skipIf(!binary)(`boots tuwunel on loopback, names it, and judges as reports/expectations/tuwunel.json says${missing}`, { timeout: 300_000 }, async () => {
    const dir = reportDir('e2e-tuwunel');
    const run = await runCli(['run', '--target', 'tuwunel', '--only', 'PRES-PUT,PRES-VIS-SHARED-GET,PRES-VIS-NONSHARED-GET', '--seed', '7', '--expect', 'reports/expectations/tuwunel.json', '--report-dir', dir]);
    expect(run.stderr).toMatch(/\[tuwunel\] tuwunel ready after \d+ ms/);
    const results = await readResults(dir);
    expect(results.target).toMatchObject({ kind: 'tuwunel', serverName: 'conformance.localhost', serverVersion: expect.stringMatching(/^tuwunel \d+\.\d+\.\d+/) });
    expect(results.requirements.map((r) => r.id)).toEqual(['PRES-PUT-ROUNDTRIP', 'PRES-PUT-OTHER', 'PRES-VIS-SHARED-GET', 'PRES-VIS-NONSHARED-GET']);
    for (const r of results.requirements) expect(['pass', 'fail'], r.id).toContain(r.verdict);
    // Every failure is one the expectations list: the gate passes.
    expect(run.code, run.stderr).toBe(0);
    await expectNothingLeft(dir);
  });

  it('without a binary exits 2 before anything starts, saying how to get one', { timeout: 60_000 }, async () => {
    // Empty: the child's environment is this one's plus these, so a binary set here must be blanked.
    const env = { [TUWUNEL_BINARY_ENV]: '' };
    const dir = reportDir('e2e-tuwunel-nobinary');
    const run = await runCli(['run', '--target', 'tuwunel', '--report-dir', dir], { env });
    expect(run.code, run.stderr).toBe(2);
    expect(lastLine(run.stderr)).toMatch(/--target tuwunel boots a binary you give \(--binary PATH or env PRESENCE_TUWUNEL_BINARY\): build it from matrix-construct\/tuwunel/);
    // Refused from the arguments alone (how fast is measured, not asserted: 0.8 s idle, the
    // CLI's own start included; a loaded CI machine took 3.8 s): no server, no log, no seed.
    expect(run.stderr).not.toMatch(/starting|seed \d+/);
    await expectNothingLeft(dir);
  });

  it('refuses a file that is not tuwunel, and one that dies at boot, with its last log line; leaves nothing behind', { timeout: 60_000 }, async () => {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'pc-tuwunel-bad-'));
    const before = await workDirs();
    try {
      const dies = path.join(scratch, 'dies');
      await writeFile(dies, '#!/bin/sh\nif [ "$1" = --version ]; then echo "tuwunel 1.4.6"; exit 0; fi\necho "ERROR could not open the database" >&2\nexit 1\n', { mode: 0o755 });
      const cases = [
        { file: '/bin/true', line: /\/bin\/true is not tuwunel: `--version` printed "[^"]+" \(exit 0\)/ },
        { file: dies, line: /tuwunel exited during start-up; see .*homeserver\.log \(last log line: ERROR could not open the database\)/ },
      ];
      for (const [i, { file, line }] of cases.entries()) {
        const dir = reportDir(`e2e-tuwunel-bad-${i}`);
        const run = await runCli(['run', '--target', 'tuwunel', '--report-dir', dir], { env: { [TUWUNEL_BINARY_ENV]: file } });
        expect(run.code, run.stderr).toBe(2);
        expect(lastLine(run.stderr)).toMatch(line);
        await expectNothingLeft(dir);
      }
      expect((await workDirs()).filter((entry) => !before.includes(entry))).toEqual([]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
