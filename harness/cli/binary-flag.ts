import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import { TARGET_KINDS, binaryEnv, binaryFamilies, binaryMissing, definitionOf, type TargetKind } from '../targets/registry.js';

/** The families that declare the binary capability (the pairs with one of them take it too). */
function families(): TargetKind[] {
  return TARGET_KINDS.filter((kind) => definitionOf(kind).capabilities.binary !== undefined);
}

/** The `--binary` line of --help, naming the targets that take one and their env variables (from the registry). */
export function binaryHelp(): string {
  return `  --binary <path>               boot this build of the server instead of the provisioned one:
                                --target ${families().join(', ')} and their pairs (or env
                                ${families().map(binaryEnv).join(', ')})`;
}

/** An absolute path to an executable regular file, or a one-line refusal (exit 2). */
function executable(given: string, from: string): string {
  const file = path.resolve(given);
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new HarnessError(`${from} ${given}: no such file`);
  }
  if (!isFile) throw new HarnessError(`${from} ${given} is not a file`);
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new HarnessError(`${from} ${given} is not executable (chmod +x it)`);
  }
  return file;
}

/**
 * The binary each family of `targets` boots: `--binary` (which every target
 * named must take) or else its env variable `PRESENCE_<FAMILY>_BINARY`;
 * checked to be an executable file here, so a bad path exits 2 before
 * anything starts. A family that declares it provisions none and gets no
 * binary is refused, saying how to get one.
 */
export function parseBinaries(targets: readonly TargetKind[], flag: string | undefined, env: NodeJS.ProcessEnv): Partial<Record<TargetKind, string>> {
  if (flag !== undefined) {
    const refusing = targets.filter((kind) => binaryFamilies(kind).length === 0);
    if (refusing.length > 0) throw new HarnessError(`--binary applies to --target ${families().join(', ')} and their pairs only, not ${refusing.join(', ')}`);
  }
  const binaries: Partial<Record<TargetKind, string>> = {};
  for (const family of new Set(targets.flatMap(binaryFamilies))) {
    const fromEnv = env[binaryEnv(family)];
    const given = flag ?? (fromEnv === '' ? undefined : fromEnv);
    if (given !== undefined) {
      binaries[family] = executable(given, flag !== undefined ? '--binary' : binaryEnv(family));
      continue;
    }
    if (definitionOf(family).capabilities.binary?.required) throw binaryMissing(family);
  }
  return binaries;
}
