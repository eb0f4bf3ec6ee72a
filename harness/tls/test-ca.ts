import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from '../errors.js';

/** A PEM certificate and its private key. */
export interface KeyPair {
  cert: string;
  key: string;
}

/** Runs openssl with `args` in `cwd`; rejects with one line naming what failed. */
function openssl(args: string[], cwd: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const fail = (why: string) => reject(new HarnessError(`could not make ${what} with openssl (${why}); install it (Debian: apt-get install openssl)`));
    child.on('error', (cause) => fail(cause.message));
    child.on('close', (code) => (code === 0 ? resolve() : fail(stderr.trim().split('\n').pop() ?? `exit ${code}`)));
  });
}

/** Runs `make` in a private temporary folder, removed afterwards (keys never stay on disk). */
async function inTempDir<T>(make: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'presence-conformance-tls-'));
  try {
    return await make(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A throwaway certificate authority for one run (RSA 2048, valid 2 days),
 * made with openssl: what Complement gives each homeserver container, and
 * what signs the federation certificates of a harness-owned server pair.
 */
export function makeTestCa(commonName = 'presence-conformance test CA'): Promise<KeyPair> {
  return inTempDir(async (dir) => {
    await openssl([
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout', 'ca.key', '-out', 'ca.crt',
    ], dir, 'a test CA');
    return { cert: await readFile(path.join(dir, 'ca.crt'), 'utf8'), key: await readFile(path.join(dir, 'ca.key'), 'utf8') };
  });
}

/**
 * A server certificate signed by `ca` for the given subject alternative
 * names (e.g. `IP:127.0.0.1`: servers named by an IP literal are verified
 * against an IP SAN).
 */
export function issueServerCert(ca: KeyPair, subjectAltNames: readonly string[]): Promise<KeyPair> {
  return inTempDir(async (dir) => {
    await writeFile(path.join(dir, 'ca.crt'), ca.cert);
    await writeFile(path.join(dir, 'ca.key'), ca.key, { mode: 0o600 });
    await writeFile(path.join(dir, 'ext.cnf'), `subjectAltName=${subjectAltNames.join(',')}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n`);
    await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=presence-conformance server', '-keyout', 'srv.key', '-out', 'srv.csr'], dir, 'a server key');
    await openssl(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'srv.crt'], dir, 'a server certificate');
    return { cert: await readFile(path.join(dir, 'srv.crt'), 'utf8'), key: await readFile(path.join(dir, 'srv.key'), 'utf8') };
  });
}
