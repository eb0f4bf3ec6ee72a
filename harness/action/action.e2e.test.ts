import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../errors.js';
import { REPORT_FOLDER } from '../reports/report-folder.js';
import { PACKAGE_ROOT } from '../package/pack.js';
import { readAction, runAsScript } from './composite.js';
import { fakeNpm } from './stand-ins.js';

/** A port on 127.0.0.1 nothing listens on (taken, then closed). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

// The action's shell steps with this checkout as GITHUB_ACTION_PATH and the
// real CLI: a target that cannot be reached is the quick way to a run that
// fails (exit 2, a partial report), which must still publish before the gate.
describe('action.yml run as a script against the real suite', () => {
  it('a dead url target: the run step records exit 2, the summary and the report folder are published, the gate fails with 2', { timeout: 120_000 }, async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'presence-action-e2e-'));
    const run = await runAsScript(await readAction(), {
      dir,
      actionPath: PACKAGE_ROOT,
      env: await fakeNpm(dir),
      with: { target: 'url', 'base-url': `http://127.0.0.1:${await deadPort()}`, 'open-registration': 'true', only: 'PRES-FFC' },
    });
    const suite = run.steps.find((s) => s.name === 'Run the suite')!;
    expect(suite.code, suite.stderr.slice(-2000)).toBe(0);
    expect(suite.stderr.trim().split('\n').pop()).toMatch(/^presence-conformance: .*127\.0\.0\.1/);
    expect(run.outputs.run?.['exit-code']).toBe(String(EXIT.harness));
    const reportDir = run.outputs.run!['report-dir']!;
    expect(reportDir).toBe(path.join(dir, 'workspace', 'presence-report'));
    expect(await readdir(reportDir)).toContain(REPORT_FOLDER.results);
    // The partial report's summary.md, as the job summary.
    expect(run.summary).toBe(await readFile(path.join(reportDir, REPORT_FOLDER.summary), 'utf8'));
    expect(run.summary).toContain('Partial results');
    expect(run.used.find((u) => u.uses === 'actions/upload-artifact@v4')?.with.path).toBe(reportDir);
    expect(run.steps.at(-1)).toMatchObject({ name: 'Gate', code: EXIT.harness });
  });
});
