import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../story/clock.js';
import { dockerClient } from '../targets/docker/engine.js';
import { containersOwnedBy } from '../targets/docker/sweep.js';

const IMAGES_BIN = fileURLToPath(new URL('../../bin/images.js', import.meta.url));
const LOCK = path.join(os.tmpdir(), 'presence-conformance-images.lock');

/** What one `npm run images` printed and how it ended. */
export interface ImagesRun {
  code: number | null;
  output: string;
  ms: number;
}

/**
 * Runs `npm run images` (its script) with `args`, one at a time across test
 * files running in parallel (flock), so two builds never race.
 */
export function runImages(args: string[] = []): Promise<ImagesRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('flock', [LOCK, process.execPath, IMAGES_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

/** Builds (or finds up to date) the images of `npm run images`; rejects with the builder's last lines if it fails. */
export async function ensureImages(): Promise<void> {
  const run = await runImages();
  if (run.code !== 0) throw new Error(`npm run images exited ${run.code}:\n${run.output.trim().split('\n').slice(-10).join('\n')}`);
}

/** Proves a run left no container behind: none labelled with its report directory exists (running or not) within 10 s. */
export async function expectNoContainerLeft(owner: string): Promise<void> {
  const client = await dockerClient();
  await eventually(() => containersOwnedBy(client, owner), (ids) => ids.length === 0, { deadline: Date.now() + 10_000, what: `no container labelled ${owner}`, intervalMs: 250 });
}
