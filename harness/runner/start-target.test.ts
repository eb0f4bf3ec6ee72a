import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TARGETS, TARGET_KINDS } from '../targets/registry.js';
import { sweepOrphanedWorkDirs, workDirPrefix } from './start-target.js';

describe('sweepOrphanedWorkDirs', () => {
  const made: string[] = [];
  afterEach(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function workDir(prefix: string, ownerPid: number): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    await writeFile(path.join(dir, 'harness.pid'), `${ownerPid}\n`);
    made.push(dir);
    return dir;
  }

  it('removes the work folders of dead owners for every embedded target, and keeps live owners\' and foreign folders', async () => {
    const deadPid = spawnSync('true').pid!;
    const embedded = TARGET_KINDS.filter((kind) => TARGETS[kind].type === 'embedded');
    expect(embedded).toEqual(expect.arrayContaining(['synapse', 'dendrite']));
    const orphans = await Promise.all(embedded.map((kind) => workDir(workDirPrefix(kind), deadPid)));
    const live = await workDir(workDirPrefix('dendrite'), process.pid);
    const foreign = await workDir('presence-conformance-other-', deadPid);

    await sweepOrphanedWorkDirs();

    for (const dir of orphans) expect(existsSync(dir), dir).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
  });
});
