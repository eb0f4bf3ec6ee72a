import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { provisionCached } from './cache.js';

describe('provisionCached', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('installs once when two runs of one process ask for the same folder at once (run --target synapse,synapse+synapse)', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pc-cache-test-'));
    const dir = path.join(root, 'synapse-x');
    let installs = 0;
    const install = async (staging: string) => {
      installs++;
      await writeFile(path.join(staging, 'bin'), 'python');
      await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const lines: string[] = [];
    await Promise.all([provisionCached(dir, 'x', (l) => lines.push(l), install), provisionCached(dir, 'x', (l) => lines.push(l), install)]);
    expect(installs).toBe(1);
    expect(readFileSync(path.join(dir, 'bin'), 'utf8')).toBe('python');
    expect(existsSync(path.join(dir, '.complete'))).toBe(true);
    expect(lines.some((l) => l.startsWith('waiting for the install of x'))).toBe(true);
    // Done: a later caller finds it complete.
    await provisionCached(dir, 'x', () => undefined, install);
    expect(installs).toBe(1);
  });
});
