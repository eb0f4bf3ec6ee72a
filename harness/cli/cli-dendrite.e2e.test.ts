import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../story/clock.js';
import type { Results } from '../results/model.js';
import { startDendrite } from '../targets/dendrite/start.js';
import { processesOwnedBy } from '../targets/managed-process.js';
import { lastLine, runCli } from '../testing/run-cli.js';

const reportDir = (name: string) => path.resolve('reports/tmp', name);
const readResults = async (dir: string): Promise<Results> => JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as Results;

async function expectNoHomeserverLeft(dir: string): Promise<void> {
  await eventually(async () => processesOwnedBy(dir), (pids) => pids.length === 0, { deadline: Date.now() + 10_000, what: `no process tagged ${dir}`, intervalMs: 200 });
}

/** Local addresses on which the processes tagged `owner` listen (TCP and UDP, from `ss`). */
function listeningAddresses(owner: string): string[] {
  const pids = processesOwnedBy(owner);
  const ss = spawnSync('ss', ['-H', '-lntup'], { encoding: 'utf8' });
  return ss.stdout
    .split('\n')
    .filter((line) => pids.some((pid) => line.includes(`pid=${pid},`)))
    .map((line) => line.trim().split(/\s+/)[4] ?? '');
}

// The first run in a fresh cache builds Dendrite (minutes); later ones reuse it.
describe('presence-conformance run --target dendrite', () => {
  it('boots Dendrite on loopback only, gives verdicts naming Dendrite 0.13.8, and stops it', { timeout: 600_000 }, async () => {
    const dir = reportDir('e2e-dendrite');
    let listening: string[] = [];
    const run = await runCli(['run', '--target', 'dendrite', '--only', 'PRES-PUT,PRES-VIS-SHARED-GET', '--seed', '5', '--report-dir', dir], {
      onStderr: (text) => {
        if (listening.length === 0 && /\[dendrite\] Dendrite ready/.test(text)) listening = listeningAddresses(dir);
      },
    });

    expect(run.stderr).toMatch(/\[dendrite\] Dendrite ready after \d+ ms/);
    expect(listening.length, 'Dendrite listens somewhere').toBeGreaterThan(0);
    for (const address of listening) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const results = await readResults(dir);
    expect(results.target).toMatchObject({ kind: 'dendrite', serverName: 'conformance.localhost', serverVersion: 'Dendrite 0.13.8' });
    expect(results.requirements.map((r) => r.id)).toEqual(['PRES-PUT-ROUNDTRIP', 'PRES-PUT-OTHER', 'PRES-VIS-SHARED-GET']);
    for (const r of results.requirements) expect(['pass', 'fail'], r.id).toContain(r.verdict);
    expect(run.code, run.stderr).toBe(results.requirements.some((r) => r.level === 'MUST' && r.verdict === 'fail') ? 1 : 0);
    expect((await readFile(path.join(dir, 'homeserver.log'), 'utf8'))).toContain('Dendrite version 0.13.8');
    await expectNoHomeserverLeft(dir);
  });

  it('on Ctrl-C two seconds after start stops Dendrite and exits 130', { timeout: 600_000 }, async () => {
    const dir = reportDir('e2e-dendrite-sigint');
    let sent = false;
    const run = await runCli(['run', '--target', 'dendrite', '--report-dir', dir], {
      onStderr: (text, pid) => {
        // One Ctrl-C (a second would mean "stop at once, no report").
        if (!sent && /\[dendrite\] starting Dendrite/.test(text)) {
          sent = true;
          setTimeout(() => process.kill(pid, 'SIGINT'), 2_000).unref();
        }
      },
    });

    expect(sent).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    expect((await readResults(dir)).interrupted).toBe('SIGINT');
    await expectNoHomeserverLeft(dir);
  });

  it('explains in one line, exit 2, that building Dendrite needs Go', { timeout: 60_000 }, async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'pc-empty-cache-'));
    try {
      const run = await runCli(['run', '--target', 'dendrite', '--report-dir', reportDir('e2e-dendrite-nogo')], {
        env: { PRESENCE_CONFORMANCE_CACHE: cache, PRESENCE_CONFORMANCE_GO: path.join(cache, 'no-such-go') },
      });
      expect(run.code, run.stderr).toBe(2);
      expect(lastLine(run.stderr)).toMatch(/needs Go.*apt-get install golang gcc/);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it('names a Dendrite reached by URL from its landing page, federation being off', { timeout: 120_000 }, async () => {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'pc-url-dendrite-'));
    const server = await startDendrite({ workDir, logFile: path.join(workDir, 'homeserver.log'), owner: workDir, progress: () => undefined });
    try {
      if (server.registration.kind !== 'shared-secret') throw new Error('embedded Dendrite uses shared-secret registration');
      const dir = reportDir('e2e-dendrite-url');
      const run = await runCli(['run', '--target', 'url', '--base-url', server.baseUrl, '--only', 'PRES-PUT-OTHER', '--first-check-after', '0', '--report-dir', dir], {
        env: { PRESENCE_REGISTRATION_SECRET: server.registration.secret },
      });
      expect(run.stderr).toContain('target Dendrite 0.13.8');
      expect((await readResults(dir)).target.serverVersion).toBe('Dendrite 0.13.8');
    } finally {
      await server.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
