import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../results/model.js';
import { ensureImages, expectNoContainerLeft } from '../../testing/docker.js';
import { lastLine, runCli } from '../../testing/run-cli.js';
import { synapseSpec } from '../synapse/image.js';
import { COMPLEMENT_CA_DIR } from './complement-ca.js';
import { dockerClient } from './engine.js';
import { ManagedContainer } from './managed-container.js';
import { startContainer } from './start.js';
import { containersOwnedBy } from './sweep.js';

const reportDir = (name: string) => path.resolve('reports/tmp', name);
const SYNAPSE_IMAGE = synapseSpec().image;

// The docker target's life cycle against a real engine: what a missing image
// or engine says, and that no container outlives the run however it ends.
describe('--target docker', () => {
  beforeAll(ensureImages, 900_000);

  it('exits 2 in under 5 s with one line when the image is not present (never pulls)', { timeout: 30_000 }, async () => {
    const dir = reportDir('e2e-docker-no-image');
    const run = await runCli(['run', '--target', 'docker', '--image', 'presence-conformance/absent:0', '--report-dir', dir]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.durationMs).toBeLessThan(5_000);
    expect(lastLine(run.stderr)).toMatch(/image presence-conformance\/absent:0 is not present locally and is never pulled/);
    await expectNoContainerLeft(dir);
  });

  it('exits 2 in under 5 s with one line when DOCKER_HOST names no engine', { timeout: 30_000 }, async () => {
    const run = await runCli(['run', '--target', 'docker', '--image', SYNAPSE_IMAGE, '--report-dir', reportDir('e2e-docker-no-engine')], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.durationMs).toBeLessThan(5_000);
    expect(lastLine(run.stderr)).toMatch(/no Docker engine answers at DOCKER_HOST=unix:\/\/\/nonexistent\/docker.sock/);
  });

  it('runs the image on the host network, names it in the results, streams its log and removes the container', { timeout: 240_000 }, async () => {
    const dir = reportDir('e2e-docker-ffc');
    const run = await runCli(['run', '--target', 'docker', '--image', SYNAPSE_IMAGE, '--only', 'PRES-FFC-PUT', '--report-dir', dir]);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;
    expect(results.target).toMatchObject({ kind: 'docker', serverVersion: 'Synapse 1.163.2', serverName: 'conformance.localhost' });
    expect(results.target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(results.requirements[0]?.verdict).toBe('pass');
    expect(existsSync(path.join(dir, 'homeserver.log'))).toBe(true);
    expect(readFileSync(path.join(dir, 'homeserver.log'), 'utf8')).toMatch(/synapse/i);
    await expectNoContainerLeft(dir);
  });

  it('gives the container what Complement gives it: SERVER_NAME, and a CA in /complement/ca before it starts', { timeout: 120_000 }, async () => {
    const dir = reportDir('e2e-docker-contract');
    mkdirSync(dir, { recursive: true });
    let owned: ManagedContainer | undefined;
    const target = await startContainer({
      image: SYNAPSE_IMAGE, serverName: 'hs1.localhost', timings: {}, logFile: path.join(dir, 'homeserver.log'), owner: dir, progress: () => undefined,
      onSpawn: (server) => (owned = server as ManagedContainer),
    });
    try {
      const container = await owned!.started;
      const cert = await container.exec(['cat', `${COMPLEMENT_CA_DIR}/ca.crt`]);
      const key = await container.exec(['cat', `${COMPLEMENT_CA_DIR}/ca.key`]);
      expect(cert.output).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect(key.output).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      const env = await container.exec(['printenv', 'SERVER_NAME']);
      expect(env.output.trim()).toBe('hs1.localhost');
      expect(target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await target.stop();
    }
    await expectNoContainerLeft(dir);
  });

  it('on Ctrl-C removes the container, exits 130 and leaves a partial report', { timeout: 240_000 }, async () => {
    const dir = reportDir('e2e-docker-sigint');
    let sent = false;
    const run = await runCli(['run', '--target', 'docker', '--image', SYNAPSE_IMAGE, '--report-dir', dir], {
      onStderr: (text, pid) => {
        if (!sent && /container ready/.test(text) && /target Synapse/.test(text)) {
          sent = true;
          setTimeout(() => process.kill(pid, 'SIGINT'), 1_500);
        }
      },
    });
    expect(sent, run.stderr).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    expect(existsSync(path.join(dir, 'results.json'))).toBe(true);
    await expectNoContainerLeft(dir);
  });

  it('names a container that dies mid-run in one line, exit 2, and removes it', { timeout: 240_000 }, async () => {
    const dir = reportDir('e2e-docker-dies');
    const client = await dockerClient();
    let killed: Promise<unknown> | undefined;
    const run = await runCli(['run', '--target', 'docker', '--image', SYNAPSE_IMAGE, '--only', 'PRES-IDLE', '--report-dir', dir], {
      onStderr: (text) => {
        // Once the suites run (the preflight is over, as in cli-dead-target.e2e.test.ts).
        if (!killed && /^target Synapse/m.test(text)) {
          killed = new Promise((resolve) => setTimeout(resolve, 4_000))
            .then(() => containersOwnedBy(client, dir))
            .then((ids) => Promise.all(ids.map((id) => client.container.getById(id).kill())));
        }
      },
    });
    await killed;
    expect(run.code, run.stderr).toBe(2);
    expect(lastLine(run.stderr)).toMatch(/Synapse 1\.163\.2 \(container [0-9a-f]{12}\) exited [\d.]+ s into the run, with exit code 137; last log line: /);
    const results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;
    expect(results.interrupted).toMatch(/exited/);
    await expectNoContainerLeft(dir);
  });

  it('sweeps the container of a SIGKILLed run on the next start', { timeout: 240_000 }, async () => {
    const dir = reportDir('e2e-docker-sigkill');
    let sent = false;
    const run = await runCli(['run', '--target', 'docker', '--image', SYNAPSE_IMAGE, '--report-dir', dir], {
      onStderr: (text, pid) => {
        if (!sent && /container ready/.test(text)) {
          sent = true;
          process.kill(pid, 'SIGKILL');
        }
      },
    });
    expect(run.signal).toBe('SIGKILL');
    const client = await dockerClient();
    // Killed with no chance to clean up: its container is still there...
    expect(await containersOwnedBy(client, dir)).toHaveLength(1);
    // ...until the next docker run starts (this one fails fast: no such image).
    const next = await runCli(['run', '--target', 'docker', '--image', 'presence-conformance/absent:0', '--report-dir', reportDir('e2e-docker-after-kill')]);
    expect(next.stderr).toMatch(/removed 1 container\(s\) left by a run that was killed/);
    await expectNoContainerLeft(dir);
  });
});
