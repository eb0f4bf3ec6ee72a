import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { HarnessError } from '../../errors.js';
import { cacheRoot, provisionCached, runInstallCommand } from '../cache.js';

interface Python {
  command: string;
  version: string;
}

/** Finds a Python >= 3.10 with venv support, or explains in one line what to install. */
export function findPython(): Python {
  const command = process.env.PRESENCE_CONFORMANCE_PYTHON ?? 'python3';
  const probe = spawnSync(command, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new HarnessError(`the embedded Synapse needs Python >= 3.10, but "${command}" could not be run; install python3 (Debian: apt-get install python3 python3-venv) or use --target url`);
  }
  const version = probe.stdout.trim();
  const [major, minor] = version.split('.').map(Number);
  if (major !== 3 || (minor ?? 0) < 10) {
    throw new HarnessError(`the embedded Synapse needs Python >= 3.10, found ${version} at "${command}"; install a newer python3 or set PRESENCE_CONFORMANCE_PYTHON`);
  }
  const venv = spawnSync(command, ['-c', 'import venv, ensurepip'], { encoding: 'utf8' });
  if (venv.status !== 0) {
    throw new HarnessError(`Python ${version} lacks venv support; install it (Debian: apt-get install python${version}-venv) or use --target url`);
  }
  return { command, version };
}

/**
 * Makes sure a virtualenv with `matrix-synapse==version` exists in the cache
 * and returns its python.
 */
export async function provisionSynapse(version: string, progress: (line: string) => void): Promise<string> {
  const python = findPython();
  const dir = path.join(cacheRoot(), `synapse-${version}-py${python.version}`);
  const what = `matrix-synapse ${version}`;
  await provisionCached(dir, what, progress, async (staging, logFile) => {
    const pip = { logFile, interesting: /^(Collecting|Installing|Successfully)/ };
    await runInstallCommand(python.command, ['-m', 'venv', staging], { ...pip, step: `${what}: python -m venv` });
    await runInstallCommand(path.join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', `matrix-synapse==${version}`], { ...pip, step: `${what}: pip install` });
  });
  return path.join(dir, 'bin', 'python');
}
