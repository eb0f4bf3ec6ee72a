import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BCRYPT_ROUNDS_ENV, LOW_BCRYPT_ROUNDS, RATE_LIMITS_ENV, bcryptRounds, rateLimits, writeSynapseConfig } from './config.js';
import { SYNAPSE_TIMINGS } from './timings.js';

describe('the embedded Synapse password-hash cost', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is lowered unless PRESENCE_SYNAPSE_BCRYPT_ROUNDS asks for another, within bcrypt\'s range', () => {
    expect(bcryptRounds({})).toBe(LOW_BCRYPT_ROUNDS);
    expect(bcryptRounds({ [BCRYPT_ROUNDS_ENV]: '12' })).toBe(12);
    for (const bad of ['3', '32', '12.5', 'default']) expect(() => bcryptRounds({ [BCRYPT_ROUNDS_ENV]: bad }), bad).toThrow(BCRYPT_ROUNDS_ENV);
  });

  it('reaches homeserver.yaml', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pc-synapse-config-'));
    const input = { dataDir: dir, serverName: 'conformance.localhost', port: 8008, registrationSecret: 's3cret-for-this-run', timings: SYNAPSE_TIMINGS };
    expect(await readFile(await writeSynapseConfig(input), 'utf8')).toMatch(/^bcrypt_rounds: 4$/m);
    expect(await readFile(await writeSynapseConfig({ ...input, bcryptRounds: 12 }), 'utf8')).toMatch(/^bcrypt_rounds: 12$/m);
  });
});

describe('the embedded Synapse rate limits', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('are generous unless PRESENCE_SYNAPSE_RATE_LIMITS=default asks for Synapse\'s own', () => {
    expect(rateLimits({})).toBe('generous');
    expect(rateLimits({ [RATE_LIMITS_ENV]: 'default' })).toBe('default');
    expect(() => rateLimits({ [RATE_LIMITS_ENV]: 'none' })).toThrow(RATE_LIMITS_ENV);
  });

  it('default removes every rc_* override of the template, and nothing else', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pc-synapse-config-'));
    const input = { dataDir: dir, serverName: 'conformance.localhost', port: 8008, registrationSecret: 's3cret-for-this-run', timings: SYNAPSE_TIMINGS };
    const generous = await readFile(await writeSynapseConfig(input), 'utf8');
    const asDeployed = await readFile(await writeSynapseConfig({ ...input, rateLimits: 'default' }), 'utf8');
    expect(generous).toMatch(/^rc_presence:$/m);
    expect(asDeployed).not.toMatch(/^rc_/m);
    expect(asDeployed).not.toMatch(/per_second/);
    // Only the secrets drawn afresh at each render differ.
    expect(asDeployed.split('\n').filter((l) => !generous.includes(l) && !/^(macaroon_secret_key|form_secret):/.test(l))).toEqual([]);
    expect(asDeployed).toMatch(/^bcrypt_rounds: 4$/m);
  });
});
