#!/usr/bin/env node
// `npm test` runs this first (pretest) so that the README's test command
// works on a fresh machine: the browser test of report.html needs Debian's
// chromium. Python and the embedded Synapse are provisioned by the harness
// itself on first use (cached per user).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

if (!existsSync(CHROMIUM)) {
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!root || !apt) {
    console.error(`npm test needs ${CHROMIUM} for the report.html browser test: install the Debian package "chromium" (apt-get install chromium)`);
    process.exit(1);
  }
  console.error('installing Debian package chromium for the browser test (first run only)');
  if (!run('apt-get', ['update', '-qq']) || !run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'])) {
    console.error('apt-get install chromium failed; install it by hand and re-run npm test');
    process.exit(1);
  }
}
