import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from '../../errors.js';

/** Where Complement puts its CA in every homeserver container before starting it (README "Complement PKI"). */
export const COMPLEMENT_CA_DIR = '/complement/ca';

/** A certificate authority made for one run: PEM certificate and key. */
export interface ComplementCa {
  cert: string;
  key: string;
}

/**
 * Makes a throwaway CA with openssl, as Complement does for each run. The
 * Complement images of Synapse, Dendrite and continuwuity sign their
 * federation certificate with it at start-up and stop without it, so a
 * container target copies one into `COMPLEMENT_CA_DIR` even though the suite
 * speaks plain HTTP to the client API. The key never leaves the run.
 */
export async function makeComplementCa(): Promise<ComplementCa> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'presence-conformance-ca-'));
  try {
    const args = [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=presence-conformance test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout', path.join(dir, 'ca.key'), '-out', path.join(dir, 'ca.crt'),
    ];
    const failure = await new Promise<string | undefined>((resolve) => {
      const child = spawn('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', (cause) => resolve(cause.message));
      child.on('close', (code) => resolve(code === 0 ? undefined : stderr.trim().split('\n').pop() ?? `exit ${code}`));
    });
    if (failure) throw new HarnessError(`could not make the Complement CA with openssl (${failure}); install it (Debian: apt-get install openssl)`);
    return { cert: await readFile(path.join(dir, 'ca.crt'), 'utf8'), key: await readFile(path.join(dir, 'ca.key'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
