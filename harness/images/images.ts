import { parseArgs } from 'node:util';
import { EXIT, HarnessError } from '../errors.js';
import { provisionDendrite } from '../targets/dendrite/provision.js';
import { capture } from './run-command.js';
import { BASE_IMAGE, baseRecipeHash, buildBaseImage } from './base-image.js';
import { buildServerImage, serverRecipe } from './build-server-image.js';
import { imageId, imageLabels, imageSize, requireDocker } from './docker.js';
import { LABEL } from '../targets/docker/labels.js';
import { dendriteSpec, synapseSpec, type ServerImageSpec, type ServerName } from './server-images.js';

const USAGE = `usage: npm run images [-- --only synapse|dendrite] [--force]

Builds the homeserver images the docker target runs, with no registry:
  ${BASE_IMAGE}  (debootstrap; needs root and debootstrap)
  ${synapseSpec().image}
  ${dendriteSpec('').image}
An image whose recipe label matches what would build it is kept ("up to date").
  --only NAME  build only that server's image (and the base)
  --force      rebuild even when up to date
Contract: docs/images.md`;

const say = (line: string) => process.stdout.write(`images: ${line}\n`);

/** What happened to one image. */
interface Outcome {
  image: string;
  state: 'built' | 'up to date';
  seconds: number;
}

function isUpToDate(image: string, recipe: string, force: boolean): boolean {
  return !force && imageLabels(image)?.[LABEL.recipe] === recipe;
}

async function timed(image: string, upToDate: boolean, build: () => Promise<void>): Promise<Outcome> {
  const started = Date.now();
  if (upToDate) {
    say(`${image} up to date`);
    return { image, state: 'up to date', seconds: 0 };
  }
  say(`building ${image}`);
  await build();
  const seconds = (Date.now() - started) / 1000;
  say(`${image} built in ${seconds.toFixed(0)} s`);
  return { image, state: 'built', seconds };
}

/** `dendrite --version` of the binary, as the embedded target reads it. */
function dendriteVersion(binary: string): string {
  const probe = capture(binary, ['--version'], 10_000);
  const version = probe.stdout.trim();
  if (probe.status !== 0 || !version) throw new HarnessError(`${binary} --version failed; remove ${binary} to have it built again`);
  return version;
}

/**
 * `npm run images`: builds (or finds up to date) the base image and the
 * Synapse and Dendrite images; returns the exit code (2 with one line when
 * Docker, debootstrap or root is missing, or a build step fails).
 */
export async function images(argv: string[]): Promise<number> {
  let only: ServerName[];
  let force: boolean;
  try {
    const { values } = parseArgs({ args: argv, options: { only: { type: 'string', multiple: true }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    for (const name of values.only ?? []) if (name !== 'synapse' && name !== 'dendrite') throw new Error(`--only takes synapse or dendrite, not ${JSON.stringify(name)}`);
    only = (values.only as ServerName[] | undefined) ?? ['synapse', 'dendrite'];
    force = values.force ?? false;
  } catch (cause) {
    process.stderr.write(`images: ${cause instanceof Error ? cause.message : String(cause)}\n${USAGE}\n`);
    return EXIT.harness;
  }
  try {
    requireDocker();
    const outcomes: Outcome[] = [];
    const baseRecipe = baseRecipeHash();
    const previousBase = imageId(BASE_IMAGE);
    outcomes.push(await timed(BASE_IMAGE, isUpToDate(BASE_IMAGE, baseRecipe, force), () => buildBaseImage(baseRecipe, say)));
    for (const server of only) {
      const probe: ServerImageSpec = server === 'synapse' ? synapseSpec() : dendriteSpec('');
      const recipe = serverRecipe(probe, baseRecipe);
      outcomes.push(await timed(probe.image, isUpToDate(probe.image, recipe, force), async () => {
        if (server === 'synapse') return buildServerImage(probe, recipe, `Synapse ${probe.version}`, say);
        const binary = await provisionDendrite(probe.version, say);
        await buildServerImage(dendriteSpec(binary), recipe, `Dendrite ${dendriteVersion(binary)}`, say);
      }));
    }
    // A replaced base stays as long as an image built on it does.
    if (previousBase && previousBase !== imageId(BASE_IMAGE)) capture('docker', ['image', 'rm', previousBase]);
    for (const o of outcomes) say(`${o.image}: ${o.state}${o.state === 'built' ? ` in ${o.seconds.toFixed(0)} s` : ''}, ${(imageSize(o.image) / 1e6).toFixed(0)} MB`);
    return EXIT.ok;
  } catch (cause) {
    if (cause instanceof HarnessError) {
      process.stderr.write(`images: ${cause.message}\n`);
      return cause.exitCode;
    }
    throw cause;
  }
}
