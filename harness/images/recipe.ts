import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { LABEL } from '../targets/docker/labels.js';
import type { TargetTimings } from '../timings.js';

/**
 * Bump when the build procedure changes in a way the recipe parts do not
 * show (another install command, another layout), so old images are rebuilt.
 */
export const RECIPE_FORMAT = 1;

/**
 * A stable hash of what builds an image: the parts (versions, file contents,
 * install script, timings, the base image's own hash) as canonical JSON
 * (object keys sorted), SHA-256, hex.
 */
export function recipeHash(parts: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson({ format: RECIPE_FORMAT, ...parts })).digest('hex');
}


/** The labels a homeserver image carries (the contract the docker target reads). */
export function serverImageLabels(input: { recipe: string; serverVersion: string; timings: TargetTimings }): Record<string, string> {
  return {
    [LABEL.recipe]: input.recipe,
    [LABEL.serverVersion]: input.serverVersion,
    [LABEL.portEnv]: 'PORT',
    [LABEL.bindEnv]: 'BIND_ADDRESS',
    [LABEL.timings]: JSON.stringify(input.timings),
  };
}

/**
 * One Dockerfile `LABEL` instruction for `docker import/commit --change`:
 * the value double-quoted with backslash escapes, which Docker's parser
 * undoes, so any value (JSON, spaces) arrives unchanged.
 */
export function labelChange(key: string, value: string): string {
  if (!/^[a-z0-9.-]+$/.test(key)) throw new Error(`label key ${JSON.stringify(key)} is not a reverse-DNS label key`);
  if (/[\n\r]/.test(value)) throw new Error(`label ${key} would span lines`);
  return `LABEL ${key}="${value.replace(/["\\$]/g, (c) => `\\${c}`)}"`;
}
