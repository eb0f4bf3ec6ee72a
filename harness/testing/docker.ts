import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../clock.js';
import { dockerClient } from '../targets/docker/engine.js';
import { containersOwnedBy } from '../targets/docker/sweep.js';

const IMAGES_BIN = fileURLToPath(new URL('../../bin/images.js', import.meta.url));
const LOCK = path.join(os.tmpdir(), 'presence-conformance-images.lock');

/**
 * Builds (or finds up to date) the images of `npm run images`, one test
 * file at a time (flock), so e2e files running in parallel do not build
 * twice. Rejects with the builder's last lines if it fails.
 */
export function ensureImages(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('flock', [LOCK, process.execPath, IMAGES_BIN], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run images exited ${code}:\n${output.trim().split('\n').slice(-10).join('\n')}`))));
  });
}

/** Proves a run left no container behind: none labelled with its report directory exists (running or not) within 10 s. */
export async function expectNoContainerLeft(owner: string): Promise<void> {
  const client = await dockerClient();
  await eventually(() => containersOwnedBy(client, owner), (ids) => ids.length === 0, { deadline: Date.now() + 10_000, what: `no container labelled ${owner}`, intervalMs: 250 });
}
