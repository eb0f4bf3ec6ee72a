#!/usr/bin/env node
// `npm test` runs this first (pretest) so that the README's test command
// works on a fresh machine. Debian packages the tests need and the harness
// cannot provision itself: chromium (the browser test of report.html), and
// docker.io with debootstrap (the docker target's tests build their images
// with `npm run images` and run them; the e2e project starts a Docker engine
// for the run if none is running: harness/testing/docker-engine.setup.ts).
// Python, the embedded Synapse and Dendrite are provisioned by the harness
// itself on first use (cached per user).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Debian package → a file it installs that the tests use. */
const PACKAGES = {
  chromium: '/usr/bin/chromium',
  'docker.io': '/usr/sbin/dockerd',
  debootstrap: '/usr/sbin/debootstrap',
};

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

const missing = Object.entries(PACKAGES).filter(([, file]) => !existsSync(file)).map(([name]) => name);
if (missing.length > 0) {
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!root || !apt) {
    console.error(`npm test needs the Debian packages ${missing.join(', ')} (browser test of report.html; docker target tests): apt-get install ${missing.join(' ')}`);
    process.exit(1);
  }
  console.error(`installing Debian packages ${missing.join(', ')} for the tests (first run only)`);
  if (!run('apt-get', ['update', '-qq']) || !run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing])) {
    console.error(`apt-get install ${missing.join(' ')} failed; install them by hand and re-run npm test`);
    process.exit(1);
  }
}
