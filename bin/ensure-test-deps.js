#!/usr/bin/env node
// `npm test` runs this first (pretest) so that the README's test command
// works on a fresh machine. Debian packages the tests need and the harness
// cannot provision itself: chromium (the browser test of report.html), and
// docker.io with debootstrap (the docker target's tests build their images
// with `npm run images` and run them; the e2e project starts a Docker engine
// for the run if none is running: harness/testing/docker-engine.setup.ts).
// Python, the embedded Synapse and Dendrite are provisioned by the harness
// itself on first use (cached per user).
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Debian package → a file it installs that the tests use. */
const PACKAGES = {
  chromium: '/usr/bin/chromium',
  'docker.io': '/usr/sbin/dockerd',
  debootstrap: '/usr/sbin/debootstrap',
};

/** Where apt's whole output goes: the harness's cache folder (harness/targets/cache.ts), the console getting one line per step. */
async function aptLogFile() {
  const { register } = await import('tsx/esm/api');
  register();
  const { cacheRoot } = await import('../harness/targets/cache.ts');
  mkdirSync(cacheRoot(), { recursive: true });
  return path.join(cacheRoot(), 'test-deps.apt.log');
}

/** Runs one step, its output into `logFile`; on failure says why in one line (its exit code, apt's last line, the log). */
function run(command, args, logFile) {
  console.error(`${command} ${args.join(' ')}`);
  appendFileSync(logFile, `$ ${command} ${args.join(' ')}\n`);
  const fd = openSync(logFile, 'a');
  let result;
  try {
    result = spawnSync(command, args, { stdio: ['ignore', fd, fd], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } finally {
    closeSync(fd);
  }
  if (result.status === 0) return true;
  const last = readFileSync(logFile, 'utf8').trim().split('\n').pop();
  console.error(`${command} ${args[0]} exited with ${result.status ?? result.error?.message}: ${last} (full output: ${logFile})`);
  return false;
}

const missing = Object.entries(PACKAGES).filter(([, file]) => !existsSync(file)).map(([name]) => name);
if (missing.length > 0) {
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!root || !apt) {
    console.error(`npm test needs the Debian packages ${missing.join(', ')} (browser test of report.html; docker target tests): apt-get install ${missing.join(' ')}`);
    process.exit(1);
  }
  const logFile = await aptLogFile();
  console.error(`installing Debian packages ${missing.join(', ')} for the tests (first run only; log: ${logFile})`);
  if (!run('apt-get', ['update', '-qq'], logFile) || !run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], logFile)) {
    console.error(`apt-get install ${missing.join(' ')} failed; install them by hand and re-run npm test`);
    process.exit(1);
  }
}
