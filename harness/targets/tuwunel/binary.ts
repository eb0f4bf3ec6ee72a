import { spawnSync } from 'node:child_process';
import { HarnessError } from '../../errors.js';

/** How a user gets a binary: for the runner's refusal of a run without one (harness/cli/binary-flag.ts says which flag and variable). */
export const HOW_TO_GET_TUWUNEL = 'build it from matrix-construct/tuwunel (cargo build), or unpack a release build (xz -dc tuwunel-*.xz > tuwunel && chmod +x tuwunel)';

/** A tuwunel binary and what it says it is. */
export interface TuwunelBinary {
  path: string;
  /** "1.4.6" */
  version: string;
}

/** The version in `tuwunel --version`'s first line ("tuwunel 1.4.6"), or undefined. */
export function parseTuwunelVersion(output: string): string | undefined {
  return /^tuwunel (\d+\.\d+\.\d+)\b/m.exec(output)?.[1];
}

/**
 * Asks the binary what it is (`--version`, which tuwunel answers without a
 * config): a file that is not tuwunel is refused here, naming what it printed.
 */
export function probeTuwunelBinary(binary: string): TuwunelBinary {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const output = `${probe.stdout ?? ''}${probe.stderr ?? ''}`.trim();
  const version = parseTuwunelVersion(output);
  if (version) return { path: binary, version };
  const last = output.split('\n').at(-1)?.slice(0, 200) || 'nothing';
  const how = probe.error ? probe.error.message : probe.signal ? `killed by ${probe.signal}` : `exit ${probe.status}`;
  throw new HarnessError(`${binary} is not tuwunel: \`--version\` printed ${last === 'nothing' ? 'nothing' : JSON.stringify(last)} (${how}); ${HOW_TO_GET_TUWUNEL}`);
}

/** tuwunel serves Synapse's shared-secret registration from 1.7.0 on (src/api/client/admin/register.rs, config key registration_shared_secret). */
export function hasSharedSecretRegistration(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 7);
}
