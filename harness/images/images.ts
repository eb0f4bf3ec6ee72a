import { parseArgs } from 'node:util';
import { EXIT, HarnessError } from '../errors.js';
import { capture } from './run-command.js';
import { BASE_IMAGE, baseRecipeHash, buildBaseImage } from './base-image.js';
import { buildServerImage, serverRecipe } from './build-server-image.js';
import { imageId, imageLabels, imageSize, requireDocker } from './docker.js';
import { LABEL } from '../targets/docker/labels.js';
import { kindsThat, definitionOf, type TargetKind } from '../targets/registry.js';
import type { ImageRecipe } from '../targets/image-recipe.js';

/** The families that declare an image recipe (their folder's image.ts), in registry order. */
const FAMILIES = kindsThat((definition) => definition.capabilities.image !== undefined);

function recipeOf(kind: TargetKind): ImageRecipe {
  return definitionOf(kind).capabilities.image!;
}

const USAGE = `usage: npm run images [-- --only ${FAMILIES.join('|')}] [--force]

Builds the homeserver images the docker target runs, with no registry:
  ${BASE_IMAGE}  (debootstrap; needs root and debootstrap)
${FAMILIES.map((kind) => `  ${recipeOf(kind).spec().image}`).join('\n')}
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

/**
 * `npm run images`: builds (or finds up to date) the base image and the
 * image of every family that declares one; returns the exit code (2 with one line when
 * Docker, debootstrap or root is missing, or a build step fails).
 */
export async function images(argv: string[]): Promise<number> {
  let only: TargetKind[];
  let force: boolean;
  try {
    const { values } = parseArgs({ args: argv, options: { only: { type: 'string', multiple: true }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    for (const name of values.only ?? []) if (!(FAMILIES as string[]).includes(name)) throw new Error(`--only takes ${FAMILIES.join(' or ')}, not ${JSON.stringify(name)}`);
    only = (values.only as TargetKind[] | undefined) ?? FAMILIES;
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
    for (const kind of only) {
      const image = recipeOf(kind);
      const probe = image.spec();
      const recipe = serverRecipe(probe, baseRecipe);
      outcomes.push(await timed(probe.image, isUpToDate(probe.image, recipe, force), async () => {
        const { binary, serverVersion } = await image.provision(say);
        await buildServerImage(image.spec(binary), recipe, serverVersion, say);
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
