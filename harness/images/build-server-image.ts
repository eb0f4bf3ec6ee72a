import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { HarnessError } from '../errors.js';
import { BASE_IMAGE } from './base-image.js';
import { withCleanup } from './cleanup.js';
import { capture, runCommand } from './run-command.js';
import { docker, imageId, imageLabels, removeContainer } from './docker.js';
import { labelChange, recipeHash, serverImageLabels } from './recipe.js';
import { fileURLToPath } from 'node:url';
import { DATA_DIR, IMAGE_DIR, type ServerImageSpec } from '../targets/image-recipe.js';

/** The images' entrypoint, shared by every family's image. */
const ENTRYPOINT_FILE = fileURLToPath(new URL('../../fixtures/images/entrypoint.py', import.meta.url));

/** This machine's CA bundle: pip in the build container verifies PyPI against it (then it is deleted). */
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * The recipe hash of a server image: its name and version, the base image's
 * recipe, the template's and the entrypoint's contents, build.json, the
 * install script, the image configuration and the timings.
 */
export function serverRecipe(spec: ServerImageSpec, baseRecipe: string): string {
  return recipeHash({
    image: spec.image,
    version: spec.version,
    base: baseRecipe,
    template: readFileSync(spec.templateFile, 'utf8'),
    entrypoint: readFileSync(ENTRYPOINT_FILE, 'utf8'),
    build: spec.build,
    install: spec.install,
    timings: spec.timings,
    extraFiles: Object.keys(spec.extraFiles).sort(),
    changes: commitChanges({}),
  });
}

/** The image's configuration, as `docker commit --change` instructions. */
export function commitChanges(labels: Record<string, string>): string[] {
  return [
    `ENTRYPOINT ["/usr/bin/python3", "${IMAGE_DIR}/entrypoint.py"]`,
    'CMD []',
    `WORKDIR ${DATA_DIR}`,
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PORT=8008 BIND_ADDRESS=0.0.0.0',
    'EXPOSE 8008',
    ...Object.entries(labels).map(([key, value]) => labelChange(key, value)),
  ];
}

/**
 * Builds one server image from BASE_IMAGE in a single layer: a build
 * container (host network, for PyPI) gets the context copied in, runs the
 * install script with a clean environment, and is committed with the
 * entrypoint, labels and env of the contract. The context folder and the
 * container are removed whatever happens; the image it replaces is removed.
 */
export async function buildServerImage(spec: ServerImageSpec, recipe: string, serverVersion: string, progress: (line: string) => void): Promise<void> {
  const context = mkdtempSync(path.join(os.tmpdir(), `pc-image-${spec.server}-`));
  const container = `presence-conformance-build-${spec.server}-${process.pid}`;
  const cleanup = () => {
    removeContainer(container);
    spawnSync('rm', ['-rf', '--one-file-system', context]);
  };
  await withCleanup(`remove ${context} and container ${container}`, cleanup, async () => {
    copyFileSync(ENTRYPOINT_FILE, path.join(context, 'entrypoint.py'));
    copyFileSync(spec.templateFile, path.join(context, path.basename(spec.build.template)));
    writeFileSync(path.join(context, 'build.json'), `${JSON.stringify(spec.build, null, 2)}\n`);
    for (const [name, file] of Object.entries(spec.extraFiles)) copyFileSync(file, path.join(context, name));
    const script = ['set -eu', spec.install, 'rm -f /tmp/ca.crt', `mkdir -p ${DATA_DIR}`, `chmod 0755 ${IMAGE_DIR}/entrypoint.py`].join('\n');
    removeContainer(container);
    docker(['create', '--name', container, '--network', 'host', BASE_IMAGE,
      '/usr/bin/env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8', 'sh', '-c', script]);
    docker(['cp', '--follow-link', `${context}/.`, `${container}:${IMAGE_DIR}`]);
    docker(['cp', '--follow-link', CA_BUNDLE, `${container}:/tmp/ca.crt`]);
    progress(`installing ${spec.server} ${spec.version} in a build container`);
    await runCommand('docker', ['start', '--attach', container], {
      progress,
      interesting: /^(Collecting matrix-synapse|Successfully installed|\d+\.\d+\.\d+$)/,
      what: `the ${spec.server} install`,
    });
    const previous = imageId(spec.image);
    const labels = serverImageLabels({ recipe, serverVersion, timings: spec.timings });
    docker(['commit', ...commitChanges(labels).flatMap((c) => ['--change', c]), container, spec.image]);
    const got = imageLabels(spec.image) ?? {};
    for (const [key, value] of Object.entries(labels)) {
      if (got[key] !== value) throw new HarnessError(`${spec.image}: label ${key} came out as ${JSON.stringify(got[key])}, not ${JSON.stringify(value)}`);
    }
    if (previous) capture('docker', ['image', 'rm', previous]);
  });
}
