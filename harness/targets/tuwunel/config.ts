import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTemplate, type TemplateValue } from '../template.js';
import { everyRangeBut } from '../../federation/loopback-only.js';
import type { TuwunelFederation } from './federation.js';
import { TUWUNEL_PRESENCE_SECONDS } from './timings.js';

const TEMPLATE = fileURLToPath(new URL('./tuwunel.toml', import.meta.url));

export interface TuwunelConfigInput {
  /** The run's work folder: the config and the database folder go here. */
  workDir: string;
  serverName: string;
  port: number;
  registrationToken: string;
  /** tuwunel ≥ 1.7 serves /_synapse/admin/v1/register with this secret; older ones have no such key. */
  registrationSharedSecret?: string;
  /** Boot with presence switched off (allow_local_presence = false). */
  presenceDisabled?: boolean;
  /** Boot as one server of a federating pair (federation.ts); absent, federation is off. */
  federation?: Omit<TuwunelFederation, 'env'>;
}

/** The template's values: one entry per placeholder of tuwunel.toml. */
export function tuwunelConfigValues(input: TuwunelConfigInput): Record<string, TemplateValue> {
  return {
    serverName: input.federation?.serverName ?? input.serverName,
    databasePath: path.join(input.workDir, 'database'),
    address: ['127.0.0.1'],
    port: input.federation ? [input.port, input.federation.federationPort] : input.port,
    allowFederation: input.federation !== undefined,
    federatePresence: input.federation !== undefined,
    ipRangeDenylist: everyRangeBut('127.0.0.1'),
    registrationToken: input.registrationToken,
    allowLocalPresence: !input.presenceDisabled,
    idleTimeoutS: TUWUNEL_PRESENCE_SECONDS.idleTimeout,
    offlineTimeoutS: TUWUNEL_PRESENCE_SECONDS.offlineTimeout,
  };
}

/** The config text: the template rendered, plus the shared secret where the binary knows the key. */
export async function renderTuwunelConfig(input: TuwunelConfigInput): Promise<string> {
  const text = await renderTemplate(TEMPLATE, tuwunelConfigValues(input));
  // [global] is the template's only table, so a key appended at the end is in it.
  return input.registrationSharedSecret === undefined ? text : `${text}registration_shared_secret = ${JSON.stringify(input.registrationSharedSecret)}\n`;
}

/**
 * Writes the config into the work folder (mode 0600: it holds the
 * registration secrets) with an empty database folder beside it, and
 * returns the config's path.
 */
export async function writeTuwunelConfig(input: TuwunelConfigInput): Promise<string> {
  await mkdir(path.join(input.workDir, 'database'), { recursive: true });
  const configPath = path.join(input.workDir, 'tuwunel.toml');
  await writeFile(configPath, await renderTuwunelConfig(input), { mode: 0o600 });
  return configPath;
}
