import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../story/clock.js';
import type { Results } from '../results/model.js';
import { provisionDendrite } from '../targets/dendrite/provision.js';
import { DENDRITE_VERSION } from '../targets/dendrite/timings.js';
import { processesOwnedBy } from '../targets/managed-process.js';
import { lastLine, runCli } from '../testing/run-cli.js';

const reportDir = (name: string) => path.resolve('reports/tmp', name);

async function expectNoHomeserverLeft(dir: string): Promise<void> {
  await eventually(async () => processesOwnedBy(dir), (pids) => pids.length === 0, { deadline: Date.now() + 10_000, what: `no process tagged ${dir}`, intervalMs: 200 });
}

// `--binary`: a Dendrite developer's own build boots instead of the provisioned one.
describe('presence-conformance run --target dendrite --binary', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'pc-binary-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  /** A shell script standing in for a binary. */
  async function script(name: string, body: string): Promise<string> {
    const file = path.join(scratch, name);
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, 0o755);
    return file;
  }

  it('boots the binary given (a copy of the provisioned Dendrite) and names the version it prints', { timeout: 600_000 }, async () => {
    // Through a wrapper that records its own use, so the run provably booted this path and not the cached one.
    const dendrite = await provisionDendrite(DENDRITE_VERSION, () => undefined);
    const used = path.join(scratch, 'used');
    const wrapper = await script('my-dendrite', `echo "$@" >> ${used}\nexec ${dendrite} "$@"`);
    const dir = reportDir('e2e-dendrite-binary');
    // PRES-PUT-OTHER: a verdict Dendrite gives the same every run (PRES-PUT-ROUNDTRIP, which it
    // fails now and then by a race of its own, made this test fail with it).
    const run = await runCli(['run', '--target', 'dendrite', '--binary', wrapper, '--only', 'PRES-PUT-OTHER', '--report-dir', dir]);
    const results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as Results;
    expect(results.target).toMatchObject({ kind: 'dendrite', serverVersion: `Dendrite ${DENDRITE_VERSION}` });
    expect(results.requirements.map((r) => [r.id, r.verdict])).toEqual([['PRES-PUT-OTHER', 'pass']]);
    expect(run.code, run.stderr).toBe(0);
    expect(await readFile(used, 'utf8')).toMatch(/^--version\n--config .*dendrite\.yaml --http-bind-address 127\.0\.0\.1:\d+\n$/);
    await expectNoHomeserverLeft(dir);
  });

  it('refuses a binary that is not a Dendrite in seconds, exit 2, with its last line', { timeout: 60_000 }, async () => {
    const bogus = await script('not-dendrite', 'echo "usage: something else" >&2\nexit 3');
    const dir = reportDir('e2e-dendrite-binary-bogus');
    const started = Date.now();
    const run = await runCli(['run', '--target', 'dendrite', '--binary', bogus, '--only', 'PRES-PUT-ROUNDTRIP', '--report-dir', dir]);
    expect(run.code, run.stderr).toBe(2);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(lastLine(run.stderr)).toBe(`presence-conformance: --binary ${bogus} is not a Dendrite: \`--version\` exited 3 (last line: usage: something else)`);
    await expectNoHomeserverLeft(dir);
  });

  it('refuses a binary that dies at boot, exit 2, with its last log line, nothing left running', { timeout: 60_000 }, async () => {
    const dies = await script('dies-at-boot', `if [ "$1" = --version ]; then echo ${DENDRITE_VERSION}; exit 0; fi\necho "level=fatal msg=\\"could not open database\\""\nexit 1`);
    const dir = reportDir('e2e-dendrite-binary-dies');
    const started = Date.now();
    const run = await runCli(['run', '--target', 'dendrite', '--binary', dies, '--only', 'PRES-PUT-ROUNDTRIP', '--report-dir', dir]);
    expect(run.code, run.stderr).toBe(2);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(lastLine(run.stderr)).toMatch(/Dendrite exited during start-up.*last log line: level=fatal msg="could not open database"/);
    await expectNoHomeserverLeft(dir);
  });

  it('refuses --binary for a target that does not take one, naming those that do', { timeout: 60_000 }, async () => {
    const run = await runCli(['run', '--target', 'synapse', '--binary', '/bin/true', '--report-dir', reportDir('e2e-binary-synapse')]);
    expect(run.code, run.stderr).toBe(2);
    expect(lastLine(run.stderr)).toBe('presence-conformance: --binary applies to --target dendrite, tuwunel and their pairs only, not synapse');
  });
});
