import { randomBytes } from 'node:crypto';
import { writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { TargetTimings } from '../../timings.js';
import { renderTemplate } from '../template.js';

const TEMPLATE = fileURLToPath(new URL('../../../fixtures/synapse/homeserver.yaml', import.meta.url));

export interface SynapseConfigInput {
  dataDir: string;
  serverName: string;
  port: number;
  registrationSecret: string;
  timings: TargetTimings;
}

/**
 * Renders `fixtures/synapse/homeserver.yaml` into `dataDir` (with a fresh
 * signing key) and returns the config file's path.
 */
export async function writeSynapseConfig(input: SynapseConfigInput): Promise<string> {
  await mkdir(input.dataDir, { recursive: true });
  const signingKeyPath = path.join(input.dataDir, 'signing.key');
  // Synapse's key file format: "<alg> <version> <unpadded base64 seed>".
  await writeFile(signingKeyPath, `ed25519 a_pc ${randomBytes(32).toString('base64').replace(/=+$/, '')}\n`, { mode: 0o600 });
  const values: Record<string, string | number> = {
    serverName: input.serverName,
    baseUrl: `http://127.0.0.1:${input.port}/`,
    port: input.port,
    pidFile: path.join(input.dataDir, 'homeserver.pid'),
    databasePath: path.join(input.dataDir, 'homeserver.db'),
    mediaStorePath: path.join(input.dataDir, 'media'),
    signingKeyPath,
    registrationSecret: input.registrationSecret,
    macaroonSecret: randomBytes(24).toString('hex'),
    formSecret: randomBytes(24).toString('hex'),
    idleTimeoutMs: input.timings.idleTimeoutMs,
    activeWindowMs: input.timings.activeWindowMs,
    syncOnlineTimeoutMs: input.timings.syncOnlineTimeoutMs,
  };
  const rendered = await renderTemplate(TEMPLATE, values);
  const configPath = path.join(input.dataDir, 'homeserver.yaml');
  await writeFile(configPath, rendered, { mode: 0o600 });
  return configPath;
}
