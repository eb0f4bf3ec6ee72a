import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsSchemaErrors } from '../reports/results-schema.js';
import type { Results } from '../results/model.js';
import { startSynapse } from '../targets/synapse/start.js';
import { SYNAPSE_TIMINGS } from '../targets/synapse/timings.js';
import type { StartedServer } from '../targets/definition.js';
import { runCli, timingFlagsOf } from '../testing/run-cli.js';

// Synapse fails PRES-CA-SUPPRESS once a minute, first two minutes after boot
// (reports/expectations/synapse.json): the one requirement whose verdict
// depended on when a url run started (docs/decisions/0011-unknown-cycle-phase.md).
const ID = 'PRES-CA-SUPPRESS';

/** Synapse's timing flags as an operator would declare them: its timers and its cycle, not its phase. */
function timingFlags(): string[] {
  return timingFlagsOf(SYNAPSE_TIMINGS, true);
}

// One Synapse, two url runs with the same flags: one started seconds after it
// booted (a CI job that starts a server, then the suite), one once its first
// persistence has passed and its phase is a steady minute (a server up for
// minutes). They overlap by a few seconds; about 4.5 minutes in all.
describe('a url run\'s verdict does not depend on when it started', () => {
  let server: StartedServer;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'pc-cycle-phase-'));
    server = await startSynapse({ workDir, logFile: path.join(workDir, 'homeserver.log'), owner: workDir, progress: () => undefined });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it(`${ID}: right after boot as up for minutes`, { timeout: 420_000 }, async () => {
    if (server.registration.kind !== 'shared-secret') throw new Error('embedded Synapse uses shared-secret registration');
    const secret = server.registration.secret;
    const run = (dir: string) => runCli(['run', '--target', 'url', '--base-url', server.baseUrl, '--only', ID, '--report-dir', dir, ...timingFlags()], { env: { PRESENCE_REGISTRATION_SECRET: secret } });
    const freshDir = path.resolve('reports/tmp/e2e-cycle-fresh');
    const laterDir = path.resolve('reports/tmp/e2e-cycle-later');

    const fresh = run(freshDir);
    // Past Synapse's first persistence (its declared phase, which the url runs are not told) by a few seconds.
    const steady = server.startedAt + SYNAPSE_TIMINGS.firstCycleAfterMs! + 5_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, steady - Date.now())));
    const later = run(laterDir);
    const [a, b] = await Promise.all([fresh, later]);

    const read = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as Results;
    const [early, late] = [await read(freshDir), await read(laterDir)];
    const uptimeAtStart = (r: Results) => (Date.parse(r.startedAt) - server.startedAt) / 1000;
    expect(uptimeAtStart(early)).toBeLessThan(30);
    expect(uptimeAtStart(late)).toBeGreaterThan(SYNAPSE_TIMINGS.firstCycleAfterMs! / 1000);
    const verdict = (r: Results) => r.requirements.find((q) => q.id === ID)?.verdict;
    const summary = `fresh: ${verdict(early)} (${a.stderr.slice(-600)})\nlater: ${verdict(late)} (${b.stderr.slice(-600)})`;
    expect(verdict(early), summary).toBe(verdict(late));
    expect(verdict(early), summary).toBe('fail');

    // Each says what it assumed: in results.json (valid against its schema), the console and summary.md.
    for (const [r, cli, dir] of [[early, a, freshDir], [late, b, laterDir]] as const) {
      expect(resultsSchemaErrors(r)).toEqual([]);
      expect(r.target.assumptions).toEqual([expect.stringContaining('up to 120 s after the run started (--first-cycle-by)')]);
      expect(cli.stderr).toContain('assumed: the phase of the server\'s longest periodic presence job (every 60 s) is unknown');
      expect(await readFile(path.join(dir, 'summary.md'), 'utf8')).toContain('**Assumed:**');
    }
  });
});
