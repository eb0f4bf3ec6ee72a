import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FederationSetup } from '../../federation/setup.js';
import { renderTemplate } from '../template.js';

const TEMPLATE = fileURLToPath(new URL('./dendrite.yaml', import.meta.url));

/** Dendrite's SQLite databases, one per component (it has no single SQLite database). */
const DATABASES = ['federation', 'key', 'media', 'room', 'sync', 'user', 'relay', 'mscs'] as const;

export interface DendriteConfigInput {
  dataDir: string;
  serverName: string;
  registrationSecret: string;
  /** One server of a federating pair: its signing key, and federation on. */
  federation?: FederationSetup;
}

/**
 * The files a Dendrite of a federating pair is given beside its config: the
 * certificate and key of its TLS listener (`--tls-cert`, `--tls-key`), and
 * the run's CA, which its federation client trusts alone (SSL_CERT_FILE:
 * Go reads the system roots from there on Linux).
 */
export async function writeDendriteFederationFiles(dataDir: string, federation: FederationSetup): Promise<{ cert: string; key: string; ca: string }> {
  const files = { cert: path.join(dataDir, 'federation.crt'), key: path.join(dataDir, 'federation.key'), ca: path.join(dataDir, 'federation-ca.crt') };
  await writeFile(files.cert, federation.tls.cert);
  await writeFile(files.key, federation.tls.key, { mode: 0o600 });
  await writeFile(files.ca, federation.ca);
  return files;
}

/**
 * A Matrix signing key in Dendrite's PEM format (what `generate-keys
 * --private-key` writes, test/keys.go: SaveMatrixKey): the 32-byte ed25519
 * seed under a `Key-ID` header. The key never signs anything that leaves the
 * machine (federation is off); Dendrite refuses to start without one.
 */
export function matrixKeyPem(seed: Buffer = randomBytes(32)): string {
  const lines = seed.toString('base64').match(/.{1,64}/g) ?? [];
  return ['-----BEGIN MATRIX PRIVATE KEY-----', 'Key-ID: ed25519:a_pc', '', ...lines, '-----END MATRIX PRIVATE KEY-----', ''].join('\n');
}

/** Path of the Dendrite config template (`harness/targets/dendrite/dendrite.yaml`), shared by the embedded target and its image. */
export const DENDRITE_TEMPLATE = TEMPLATE;

/**
 * The template values fixed before the server starts: every file Dendrite
 * writes (key, databases, media, JetStream) under `dataDir`. The embedded
 * target renders them at each start, the image bakes them in.
 */
export function dendriteBuildValues(dataDir: string): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {
    disableFederation: true,
    privateKeyPath: path.join(dataDir, 'matrix_key.pem'),
    jetstreamPath: path.join(dataDir, 'jetstream'),
    mediaPath: path.join(dataDir, 'media'),
  };
  for (const db of DATABASES) values[`${db}Db`] = `file:${path.join(dataDir, `dendrite_${db}.db`)}`;
  return values;
}

/**
 * Renders `harness/targets/dendrite/dendrite.yaml` into `dataDir` (with a fresh
 * signing key; databases, media and JetStream files all inside `dataDir`)
 * and returns the config file's path.
 */
export async function writeDendriteConfig(input: DendriteConfigInput): Promise<string> {
  await mkdir(input.dataDir, { recursive: true });
  const buildValues = dendriteBuildValues(input.dataDir);
  await writeFile(String(buildValues.privateKeyPath), matrixKeyPem(input.federation?.signingKey.seed), { mode: 0o600 });
  const values: Record<string, string | boolean> = {
    ...buildValues,
    disableFederation: !input.federation,
    serverName: input.serverName,
    registrationSecret: input.registrationSecret,
  };
  const configPath = path.join(input.dataDir, 'dendrite.yaml');
  await writeFile(configPath, await renderTemplate(TEMPLATE, values), { mode: 0o600 });
  return configPath;
}
