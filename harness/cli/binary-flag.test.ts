import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.js';
import { HELP, parseCli } from './args.js';
import { parseBinaries } from './binary-flag.js';

describe('--binary', () => {
  let dir: string;
  let exe: string;
  let plain: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pc-binary-flag-'));
    exe = path.join(dir, 'dendrite');
    plain = path.join(dir, 'not-executable');
    await writeFile(exe, '#!/bin/sh\n');
    await chmod(exe, 0o755);
    await writeFile(plain, '');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hands an executable file to the family that declares the capability, as an absolute path', () => {
    const relative = path.relative(process.cwd(), exe);
    expect(parseCli(['--target', 'dendrite', '--binary', relative], {}).binaries).toEqual({ dendrite: exe });
    // A pair hands it to its members of that family.
    expect(parseCli(['--target', 'synapse+dendrite', '--binary', exe], {}).binaries).toEqual({ dendrite: exe });
    expect(parseCli(['--target', 'dendrite'], {}).binaries).toEqual({});
  });

  it('falls back to PRESENCE_<FAMILY>_BINARY, and the flag wins', () => {
    expect(parseCli(['--target', 'dendrite'], { PRESENCE_DENDRITE_BINARY: exe }).binaries).toEqual({ dendrite: exe });
    expect(parseCli(['--target', 'dendrite', '--binary', exe], { PRESENCE_DENDRITE_BINARY: '/no/such/file' }).binaries).toEqual({ dendrite: exe });
    // A family that does not take one ignores the variable of another.
    expect(parseCli(['--target', 'synapse'], { PRESENCE_DENDRITE_BINARY: exe }).binaries).toEqual({});
  });

  it('refuses, in one line, a target without the capability, naming those that take one', () => {
    expect(() => parseCli(['--target', 'synapse', '--binary', exe], {})).toThrow('--binary applies to --target dendrite, tuwunel and their pairs only, not synapse');
    expect(() => parseCli(['--target', 'dendrite,synapse', '--binary', exe], {})).toThrow(/only, not synapse$/);
    expect(() => parseCli(['--target', 'synapse+synapse', '--binary', exe], {})).toThrow(/only, not synapse\+synapse$/);
  });

  it('refuses a missing, non-file or non-executable path', () => {
    expect(() => parseCli(['--target', 'dendrite', '--binary', path.join(dir, 'nope')], {})).toThrow(`--binary ${path.join(dir, 'nope')}: no such file`);
    expect(() => parseCli(['--target', 'dendrite', '--binary', dir], {})).toThrow(`--binary ${dir} is not a file`);
    expect(() => parseCli(['--target', 'dendrite', '--binary', plain], {})).toThrow(`--binary ${plain} is not executable`);
    expect(() => parseCli(['--target', 'dendrite'], { PRESENCE_DENDRITE_BINARY: plain })).toThrow(`PRESENCE_DENDRITE_BINARY ${plain} is not executable`);
    expect(() => parseCli(['--target', 'dendrite', '--binary', plain], {})).toThrow(HarnessError);
  });

  it('is in --help, with the targets and variables the registry derives', () => {
    expect(HELP).toMatch(/--binary <path> .*\n.*--target dendrite, tuwunel and their pairs \(or env\n +PRESENCE_DENDRITE_BINARY, PRESENCE_TUWUNEL_BINARY\)/);
  });

  it('leaves the targets without the capability alone when no flag is given', () => {
    expect(parseBinaries(['synapse', 'url'], undefined, {})).toEqual({});
  });
});
