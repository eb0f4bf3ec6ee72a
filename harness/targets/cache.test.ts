import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.js';
import { StatusBoard } from '../console/status-board.js';
import { provisionCached, runInstallCommand } from './cache.js';

/** A tool as chatty as pip: one line per package, then `exit`. */
function chattyTool(lines: number, exit: number): string[] {
  return ['-e', `for (let i = 0; i < ${lines}; i++) console.log('Collecting package-' + i); console.error('ERROR: no matching distribution'); process.exit(${exit});`];
}

function setUp(isTTY: boolean) {
  let out = '';
  const board = new StatusBoard({ write: (text: string) => (out += text), isTTY, columns: 200 });
  const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'install-')), 'x.provision.log');
  return { board, logFile, out: () => out, options: { step: 'matrix-synapse 1.163.2: pip install', logFile, interesting: /^Collecting/, board } };
}

describe('an install step', () => {
  it('shows one line for the step, not one per line of the tool, and logs the tool\'s whole output', async () => {
    const { options, out, logFile } = setUp(false);
    await runInstallCommand(process.execPath, chattyTool(60, 0), options);
    const lines = out().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^matrix-synapse 1\.163\.2: pip install \(0:0\d\)/);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('Collecting package-0');
    expect(log).toContain('Collecting package-59');
  });

  it('on a terminal, rewrites that line in place and clears it when the step ends', async () => {
    const { options, out } = setUp(true);
    await runInstallCommand(process.execPath, chattyTool(60, 0), options);
    expect(out()).not.toContain('\n');
    expect(out()).toContain('Collecting package-');
    expect(out().endsWith('\r\x1b[K')).toBe(true);
  });

  it('fails with the tool\'s last line, its exit code and where its whole output is', async () => {
    const { options, logFile } = setUp(false);
    const failure = await runInstallCommand(process.execPath, chattyTool(3, 3), options).catch((cause: unknown) => cause);
    expect(failure).toBeInstanceOf(HarnessError);
    const message = (failure as HarnessError).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('exited with 3: ERROR: no matching distribution');
    expect(message).toContain(`(full output: ${logFile})`);
  });
});

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
