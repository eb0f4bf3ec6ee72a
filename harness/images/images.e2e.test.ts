import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../story/clock.js';
import { closePool, HttpTransport } from '../story/client/http.js';
import { Recorder } from '../story/client/recorder.js';
import { registerUser } from '../story/client/registration.js';
import { freePort } from '../targets/managed-process.js';
import { DENDRITE_TIMINGS, DENDRITE_VERSION } from '../targets/dendrite/timings.js';
import { SYNAPSE_TIMINGS, SYNAPSE_VERSION } from '../targets/synapse/timings.js';
import type { TargetTimings } from '../timings.js';
import { DOCKERD_COMMAND } from '../targets/docker/engine.js';
import { LABEL } from '../targets/docker/labels.js';
import { runImages, type ImagesRun } from '../testing/docker.js';

/** Tags this run's containers, so they are removed whatever happens. */
const OWNER = `images-e2e-${process.pid}-${randomBytes(3).toString('hex')}`;

function docker(args: string[]): string {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim()}`);
  return r.stdout.trim();
}

function removeOwnedContainers(): void {
  const ids = spawnSync('docker', ['ps', '-aq', '--filter', `label=${LABEL.owner}=${OWNER}`], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  if (ids.length) spawnSync('docker', ['rm', '--force', ...ids]);
}

const IMAGES: Array<{ image: string; serverVersion: string; timings: TargetTimings }> = [
  { image: `presence-conformance/synapse:${SYNAPSE_VERSION}`, serverVersion: `Synapse ${SYNAPSE_VERSION}`, timings: SYNAPSE_TIMINGS },
  { image: `presence-conformance/dendrite:${DENDRITE_VERSION}`, serverVersion: `Dendrite ${DENDRITE_VERSION}`, timings: DENDRITE_TIMINGS },
];

// Needs a Docker engine (and, on the first run, root and debootstrap, about 2 minutes): it fails, not skips, without one.
describe('npm run images', () => {
  let build: ImagesRun;
  beforeAll(async () => {
    const probe = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 20_000 });
    if (probe.status !== 0) throw new Error(`this test needs a Docker engine and none is reachable (${(probe.error?.message ?? probe.stderr.trim()).split('\n').pop()}); start one as root: ${DOCKERD_COMMAND} &`);
    build = await runImages();
  }, 20 * 60_000);
  afterAll(() => removeOwnedContainers());

  it('builds the base, Synapse and Dendrite images, then finds them up to date in about a second', async () => {
    expect(build.code, build.output).toBe(0);
    const again = await runImages();
    expect(again.code, again.output).toBe(0);
    expect(again.output.match(/ up to date\n/g)?.length, again.output).toBe(3);
    expect(again.ms).toBeLessThan(10_000);
  });

  for (const { image, serverVersion, timings } of IMAGES) {
    it(`${image} carries the contract's labels, serves the client API on PORT and BIND_ADDRESS, registers with the secret "complement", stops on SIGTERM`, async () => {
      expect(build.code, build.output).toBe(0);
      const labels = JSON.parse(docker(['image', 'inspect', '--format', '{{json .Config.Labels}}', image])) as Record<string, string>;
      expect(labels[LABEL.serverVersion]).toBe(serverVersion);
      expect(labels[LABEL.portEnv]).toBe('PORT');
      expect(labels[LABEL.bindEnv]).toBe('BIND_ADDRESS');
      expect(JSON.parse(labels[LABEL.timings]!)).toEqual(timings);
      expect(labels[LABEL.recipe]).toMatch(/^[0-9a-f]{64}$/);

      const port = await freePort();
      const serverName = `hs-${randomBytes(3).toString('hex')}.localhost`;
      const container = `${OWNER}-${image.split('/')[1]!.replace(/[:.]/g, '-')}`;
      docker(['run', '--detach', '--rm', '--network', 'host', '--name', container, '--label', `${LABEL.owner}=${OWNER}`,
        '-e', `SERVER_NAME=${serverName}`, '-e', `PORT=${port}`, '-e', 'BIND_ADDRESS=127.0.0.1', image]);
      const baseUrl = `http://127.0.0.1:${port}`;
      try {
        await eventually(
          async () => fetch(`${baseUrl}/_matrix/client/versions`).then((r) => r.status, () => 0),
          (status) => status === 200,
          { deadline: Date.now() + 90_000, intervalMs: 250, what: `GET ${baseUrl}/_matrix/client/versions 200 from ${image} (logs: docker logs ${container})` },
        );
        const listening = spawnSync('ss', ['-H', '-lnt', `sport = :${port}`], { encoding: 'utf8' }).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)[3]);
        expect(listening).toEqual([`127.0.0.1:${port}`]);
        const session = await registerUser(new HttpTransport(baseUrl, new Recorder()), { kind: 'shared-secret', secret: 'complement' }, 'alice', randomBytes(8).toString('hex'));
        expect(session.userId).toBe(`@alice:${serverName}`);
        const stopping = Date.now();
        docker(['stop', '--time', '20', container]);
        expect(Date.now() - stopping, 'SIGTERM should stop the server, not the 20 s SIGKILL').toBeLessThan(10_000);
      } finally {
        await closePool(baseUrl);
        spawnSync('docker', ['rm', '--force', container]);
      }
    }, 180_000);
  }
});
