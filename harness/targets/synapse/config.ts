import { randomBytes } from 'node:crypto';
import { writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { TargetTimings } from '../../timings.js';
import { everyRangeBut } from '../../federation/loopback-only.js';
import type { FederationSetup } from '../../federation/setup.js';
import { unpaddedBase64 } from '../../federation/x-matrix.js';
import { renderTemplate } from '../template.js';

const TEMPLATE = fileURLToPath(new URL('./homeserver.yaml', import.meta.url));

export interface SynapseConfigInput {
  dataDir: string;
  serverName: string;
  port: number;
  registrationSecret: string;
  timings: TargetTimings;
  /** `presence.enabled` (default true); false boots a server without presence, for the self-check. */
  presenceEnabled?: boolean;
  /** `bcrypt_rounds`, the password-hash cost (default `LOW_BCRYPT_ROUNDS`; see `bcryptRounds`). */
  bcryptRounds?: number;
  /** `generous` (default): the template's rc_* overrides; `default`: Synapse's own rate limits (the block removed). */
  rateLimits?: RateLimits;
  /** One server of a federating pair: its signing key, and the overlay of `writeSynapseFederationConfig`. */
  federation?: FederationSetup;
}

/**
 * The password-hash cost the embedded Synapse uses unless told otherwise: 4,
 * the lowest bcrypt allows, because every test registers users. Synapse's
 * own default is 12 (about 0.25 s of CPU per registration), which real
 * deployments keep.
 */
export const LOW_BCRYPT_ROUNDS = 4;

/** Environment variable that sets the embedded Synapse's `bcrypt_rounds` (e.g. 12, Synapse's default cost). */
export const BCRYPT_ROUNDS_ENV = 'PRESENCE_SYNAPSE_BCRYPT_ROUNDS';

/**
 * The `bcrypt_rounds` to configure: `PRESENCE_SYNAPSE_BCRYPT_ROUNDS` when set
 * (4 to 31, bcrypt's range), else `LOW_BCRYPT_ROUNDS`. A way to check the
 * suite against a server as slow to register users as a real one.
 */
export function bcryptRounds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[BCRYPT_ROUNDS_ENV];
  if (raw === undefined || raw === '') return LOW_BCRYPT_ROUNDS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 4 || n > 31) throw new Error(`${BCRYPT_ROUNDS_ENV} must be a whole number from 4 to 31, got ${JSON.stringify(raw)}`);
  return n;
}

/** Environment variable that boots the embedded Synapse with Synapse's default rate limits (`default`) instead of the generous ones. */
export const RATE_LIMITS_ENV = 'PRESENCE_SYNAPSE_RATE_LIMITS';

/** Which rate limits the embedded Synapse has: the template's generous ones, or Synapse's defaults (as deployed). */
export type RateLimits = 'generous' | 'default';

/** The rate limits to configure: `PRESENCE_SYNAPSE_RATE_LIMITS` (`default` or `generous`), else `generous`. */
export function rateLimits(env: NodeJS.ProcessEnv = process.env): RateLimits {
  const raw = env[RATE_LIMITS_ENV];
  if (raw === undefined || raw === '' || raw === 'generous') return 'generous';
  if (raw === 'default') return 'default';
  throw new Error(`${RATE_LIMITS_ENV} must be default or generous, got ${JSON.stringify(raw)}`);
}

/** The template's rate-limit block, between its markers: one source, removed for Synapse's defaults. */
const RATE_LIMIT_BLOCK = /^# rate-limits: begin\n[\s\S]*?^# rate-limits: end\n/m;

/** A rendered config with Synapse's own rate limits: the template's rc_* block removed. */
export function withDefaultRateLimits(rendered: string): string {
  if (!RATE_LIMIT_BLOCK.test(rendered)) throw new Error('the Synapse template has no "# rate-limits: begin/end" block');
  return rendered.replace(RATE_LIMIT_BLOCK, '');
}

/** Path of the Synapse config template (`harness/targets/synapse/homeserver.yaml`), shared by the embedded target and its image. */
export const SYNAPSE_TEMPLATE = TEMPLATE;

/** What the build-time template values depend on: the data folder, the timers and the server's settings. */
export type SynapseBuildInput = Pick<SynapseConfigInput, 'dataDir' | 'timings' | 'presenceEnabled' | 'bcryptRounds'>;

/**
 * The template values fixed before the server starts (file paths under
 * `dataDir`, presence timers, presence switch, bcrypt cost): the embedded
 * target renders them at each start, the image bakes them in.
 */
export function synapseBuildValues(input: SynapseBuildInput): Record<string, string | number | boolean> {
  return {
    pidFile: path.join(input.dataDir, 'homeserver.pid'),
    databasePath: path.join(input.dataDir, 'homeserver.db'),
    mediaStorePath: path.join(input.dataDir, 'media'),
    signingKeyPath: path.join(input.dataDir, 'signing.key'),
    idleTimeoutMs: input.timings.idleTimeoutMs,
    activeWindowMs: input.timings.activeWindowMs,
    syncOnlineTimeoutMs: input.timings.syncOnlineTimeoutMs,
    presenceEnabled: input.presenceEnabled ?? true,
    bcryptRounds: input.bcryptRounds ?? LOW_BCRYPT_ROUNDS,
  };
}

/**
 * Renders `harness/targets/synapse/homeserver.yaml` into `dataDir` (with a fresh
 * signing key) and returns the config file's path.
 */
export async function writeSynapseConfig(input: SynapseConfigInput): Promise<string> {
  await mkdir(input.dataDir, { recursive: true });
  const buildValues = synapseBuildValues(input);
  const signingKeyPath = String(buildValues.signingKeyPath);
  // Synapse's key file format: "<alg> <version> <unpadded base64 seed>".
  const key = input.federation?.signingKey ?? { keyId: 'ed25519:a_pc', seed: randomBytes(32) };
  await writeFile(signingKeyPath, `${key.keyId.replace(':', ' ')} ${unpaddedBase64(key.seed)}\n`, { mode: 0o600 });
  const values: Record<string, string | number | boolean> = {
    ...buildValues,
    serverName: input.serverName,
    baseUrl: `http://127.0.0.1:${input.port}/`,
    port: input.port,
    bindAddress: '127.0.0.1',
    registrationSecret: input.registrationSecret,
    macaroonSecret: randomBytes(24).toString('hex'),
    formSecret: randomBytes(24).toString('hex'),
  };
  const full = await renderTemplate(TEMPLATE, values);
  const rendered = input.rateLimits === 'default' ? withDefaultRateLimits(full) : full;
  const configPath = path.join(input.dataDir, 'homeserver.yaml');
  await writeFile(configPath, rendered, { mode: 0o600 });
  return configPath;
}

const FEDERATION_TEMPLATE = fileURLToPath(new URL('./federation.yaml', import.meta.url));

/**
 * Renders `harness/targets/synapse/federation.yaml` (the overlay given after
 * homeserver.yaml to a server of a federating pair) into `dataDir`, with
 * the certificate, key and CA files it names; returns its path.
 */
export async function writeSynapseFederationConfig(dataDir: string, port: number, federation: FederationSetup): Promise<string> {
  const file = (name: string) => path.join(dataDir, name);
  await writeFile(file('federation.crt'), federation.tls.cert);
  await writeFile(file('federation.key'), federation.tls.key, { mode: 0o600 });
  await writeFile(file('federation-ca.crt'), federation.ca);
  const rendered = await renderTemplate(FEDERATION_TEMPLATE, {
    port,
    federationPort: federation.federationPort,
    tlsCertificatePath: file('federation.crt'),
    tlsPrivateKeyPath: file('federation.key'),
    caPath: file('federation-ca.crt'),
    federationDomains: federation.domains,
    ipRangeBlacklist: everyRangeBut('127.0.0.1'),
  });
  const configPath = file('federation.yaml');
  await writeFile(configPath, rendered, { mode: 0o600 });
  return configPath;
}
