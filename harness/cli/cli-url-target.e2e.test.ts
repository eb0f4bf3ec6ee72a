import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../results/model.js';
import { startSynapse } from '../targets/synapse/start.js';
import { SYNAPSE_TIMINGS } from '../targets/synapse/timings.js';
import type { StartedServer } from '../targets/definition.js';
import { runCli, timingFlagsOf } from '../testing/run-cli.js';

const ONLY = 'PRES-FFC,PRES-PUT,PRES-STATE';

const verdicts = async (dir: string) => {
  const results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as Results;
  return Object.fromEntries(results.requirements.map((r) => [r.id, r.verdict]));
};

// A Synapse the test starts itself stands for "a homeserver someone runs":
// the CLI only gets its URL, the shared secret and the declared timings.
describe('presence-conformance run --target url', () => {
  let server: StartedServer;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'pc-url-target-'));
    server = await startSynapse({ workDir, logFile: path.join(workDir, 'homeserver.log'), owner: workDir, progress: () => undefined });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('gives the same verdicts as the embedded target', { timeout: 180_000 }, async () => {
    if (server.registration.kind !== 'shared-secret') throw new Error('embedded Synapse uses shared-secret registration');
    const t = SYNAPSE_TIMINGS;
    const byUrl = path.resolve('reports/tmp/e2e-url');
    const embedded = path.resolve('reports/tmp/e2e-url-embedded');
    const [url, direct] = await Promise.all([
      runCli(
        ['run', '--target', 'url', '--base-url', server.baseUrl, '--only', ONLY, '--report-dir', byUrl,
          ...timingFlagsOf(t)],
        { env: { PRESENCE_REGISTRATION_SECRET: server.registration.secret } },
      ),
      runCli(['run', '--only', ONLY, '--report-dir', embedded]),
    ]);

    expect(url.code, url.stderr).toBe(direct.code);
    expect(Object.keys(await verdicts(byUrl))).toHaveLength(8);
    expect(await verdicts(byUrl)).toEqual(await verdicts(embedded));
    const results = JSON.parse(await readFile(path.join(byUrl, 'results.json'), 'utf8')) as Results;
    expect(results.target).toMatchObject({ kind: 'url', baseUrl: server.baseUrl, serverName: 'conformance.localhost', serverVersion: 'Synapse 1.163.2' });
  });
});
