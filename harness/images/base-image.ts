import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { HarnessError } from '../errors.js';
import { labelChange, recipeHash } from './recipe.js';
import { LABEL } from '../targets/docker/labels.js';
import { capture, runCommand } from './run-command.js';
import { withCleanup } from './cleanup.js';

/** The base of both homeserver images: Debian bookworm minbase with Python. */
export const BASE_IMAGE = 'presence-conformance/base:bookworm';

/** What debootstrap installs; the base image's recipe. */
export const BASE_RECIPE = {
  suite: 'bookworm',
  variant: 'minbase',
  // python3-venv for the Synapse virtualenv; python3 also runs the entrypoint.
  include: ['python3', 'python3-venv', 'ca-certificates'],
} as const;

/** The base image's recipe hash (its label, and a part of each server image's recipe). */
export function baseRecipeHash(): string {
  return recipeHash({ image: BASE_IMAGE, ...BASE_RECIPE });
}

/**
 * The Debian archive this machine's apt uses (deb822 `URIs:` or a one-line
 * `deb` entry naming bookworm), else deb.debian.org.
 */
export function debianMirror(files = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']): string {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const deb822 = /^URIs:\s*(\S+)/m.exec(text);
    if (deb822?.[1] && !deb822[1].includes('security')) return deb822[1];
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (line?.[1]) return line[1];
  }
  return 'http://deb.debian.org/debian';
}

/** Checks what building the base needs: root (debootstrap, chroot) and debootstrap itself. */
export function requireBaseTools(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new HarnessError('building the base image runs debootstrap, which needs root; run npm run images as root (or sudo)');
  }
  const probe = capture('debootstrap', ['--version']);
  if (probe.error || probe.status !== 0) {
    throw new HarnessError('building the base image needs debootstrap, which could not be run; install it: apt-get install debootstrap');
  }
}

/** Unmounts whatever debootstrap left mounted under `dir` (a failed run can leave /proc), deepest first. */
function unmountUnder(dir: string): void {
  let mounts: string[] = [];
  try {
    mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((line) => (line.split(' ')[1] ?? '').replace(/\\040/g, ' '));
  } catch {
    return;
  }
  for (const mount of mounts.filter((m) => m === dir || m.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length)) {
    spawnSync('umount', ['--lazy', mount]);
  }
}

/** Removes a temporary root filesystem, never crossing into a mounted file system. */
export function removeRootfs(dir: string): void {
  unmountUnder(dir);
  spawnSync('rm', ['-rf', '--one-file-system', dir]);
}

/**
 * Builds `BASE_IMAGE`: debootstrap into a temporary folder (removed whatever
 * happens), then `tar | docker import` with the recipe label. About a minute.
 */
export async function buildBaseImage(recipe: string, progress: (line: string) => void): Promise<void> {
  requireBaseTools();
  const rootfs = mkdtempSync(path.join(os.tmpdir(), 'pc-rootfs-'));
  await withCleanup(`remove ${rootfs}`, () => removeRootfs(rootfs), async () => {
    const mirror = debianMirror();
    progress(`debootstrap --variant=${BASE_RECIPE.variant} ${BASE_RECIPE.suite} from ${mirror}`);
    await runCommand('debootstrap', [`--variant=${BASE_RECIPE.variant}`, `--include=${BASE_RECIPE.include.join(',')}`, BASE_RECIPE.suite, rootfs, mirror], {
      progress,
      interesting: /^I: (Retrieving Release|Installing core|Unpacking the base|Configuring the base|Base system installed)/,
      what: 'debootstrap',
    });
    // Nothing the images need: downloaded package lists and archives.
    spawnSync('rm', ['-rf', '--one-file-system', `${rootfs}/var/lib/apt/lists`, `${rootfs}/var/cache/apt/archives`]);
    spawnSync('mkdir', ['-p', `${rootfs}/var/lib/apt/lists/partial`, `${rootfs}/var/cache/apt/archives/partial`]);
    progress(`docker import ${BASE_IMAGE}`);
    const changes = [labelChange(LABEL.recipe, recipe), 'CMD ["/bin/bash"]'];
    const script = 'set -o pipefail; tar -C "$1" --numeric-owner --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -c . | docker import "${@:3}" - "$2"';
    const importArgs = changes.flatMap((change) => ['--change', change]);
    await runCommand('bash', ['-c', script, 'import', rootfs, BASE_IMAGE, ...importArgs], { progress, interesting: /^sha256:/, what: 'docker import' });
  });
}
