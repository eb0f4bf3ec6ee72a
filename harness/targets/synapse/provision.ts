import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from '../../errors.js';

/** Root of the per-user cache that holds provisioned homeservers. */
export function cacheRoot(): string {
  const base = process.env.PRESENCE_CONFORMANCE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'matrix-presence-conformance');
  return base;
}

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
 * and returns its python. Installs into a temporary folder and renames it
 * into place, so an interrupted install is never mistaken for a complete one
 * and concurrent runs cannot corrupt each other.
 */
export async function provisionSynapse(version: string, progress: (line: string) => void): Promise<string> {
  const python = findPython();
  const dir = path.join(cacheRoot(), `synapse-${version}-py${python.version}`);
  const venvPython = path.join(dir, 'bin', 'python');
  if (existsSync(path.join(dir, '.complete'))) return venvPython;

  await mkdir(cacheRoot(), { recursive: true });
  const staging = `${dir}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  progress(`provisioning matrix-synapse ${version} into ${dir} (first run only)`);
  try {
    await run(python.command, ['-m', 'venv', staging], progress);
    await run(path.join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', `matrix-synapse==${version}`], progress);
    await writeFile(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
    try {
      await rename(staging, dir);
    } catch (cause) {
      // Another run finished first; theirs is as good as ours.
      if (!existsSync(path.join(dir, '.complete'))) throw cause;
      await rm(staging, { recursive: true, force: true });
    }
  } catch (cause) {
    await rm(staging, { recursive: true, force: true });
    if (cause instanceof HarnessError) throw cause;
    throw new HarnessError(`provisioning matrix-synapse ${version} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  progress(`matrix-synapse ${version} ready`);
  return venvPython;
}

function run(command: string, args: string[], progress: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-2_000);
      for (const line of text.split('\n')) {
        if (/^(Collecting|Installing|Successfully)/.test(line.trim())) progress(line.trim().slice(0, 160));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new HarnessError(`${path.basename(command)} ${args.slice(0, 3).join(' ')} exited with ${code}: ${tail.trim().split('\n').pop() ?? ''}`));
    });
  });
}
