import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { sleep } from '../story/clock.js';
import { ManagedProcess, shimPython } from '../targets/managed-process.js';
import { DOCKERD_COMMAND, pingEngine } from '../targets/docker/engine.js';

const DOCKERD = '/usr/sbin/dockerd';
const READY_MS = 60_000;

/**
 * Global set-up of the e2e project: the docker target's tests need a Docker
 * engine. If none answers and none is named by DOCKER_HOST, start one for
 * this test run (as root, Debian's docker.io, with no bridge and no
 * iptables rules, so no network on a private range is made) and stop it at
 * the end; an engine that was already running is left alone. Without root or
 * dockerd nothing is started, and those tests fail with the CLI's own line.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const nothing = async () => undefined;
  if (process.env.DOCKER_HOST || (await pingEngine()) === undefined) return nothing;
  if (process.getuid?.() !== 0 || !existsSync(DOCKERD)) return nothing;
  const logDir = path.resolve('reports/tmp');
  mkdirSync(logDir, { recursive: true });
  const args = DOCKERD_COMMAND.split(' ').slice(1);
  const engine = new ManagedProcess({ python: shimPython('the Docker engine of the tests'), command: DOCKERD, args, cwd: logDir, logFile: path.join(logDir, 'dockerd.log') });
  const deadline = Date.now() + READY_MS;
  while ((await pingEngine()) !== undefined) {
    if (!engine.running || Date.now() > deadline) {
      await engine.stop(5_000);
      throw new Error(`could not start ${DOCKERD_COMMAND} for the tests; see reports/tmp/dockerd.log`);
    }
    await sleep(250);
  }
  return () => engine.stop(30_000);
}
