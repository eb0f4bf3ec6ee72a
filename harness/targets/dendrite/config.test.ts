import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { matrixKeyPem, writeDendriteConfig } from './config.js';

/** The value of a `key: value` line nested under `section` (enough YAML for this test). */
function valueUnder(yaml: string, section: string, key: string): string | undefined {
  const start = yaml.search(new RegExp(`^${section}:`, 'm'));
  if (start < 0) return undefined;
  const body = yaml.slice(start).split('\n').slice(1);
  const end = body.findIndex((line) => /^\S/.test(line));
  const block = (end < 0 ? body : body.slice(0, end)).join('\n');
  return new RegExp(`^\\s+${key}: (.*)$`, 'm').exec(block)?.[1]?.trim();
}

describe('writeDendriteConfig', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders every placeholder, keeps every file in the work folder, and turns on what presence needs', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pc-dendrite-config-'));
    const configPath = await writeDendriteConfig({ dataDir: dir, serverName: 'conformance.localhost', registrationSecret: 's3cret-for-this-run' });
    const yaml = await readFile(configPath, 'utf8');

    expect(yaml).not.toMatch(/\{\{/);
    expect((await stat(configPath)).mode & 0o077).toBe(0);
    expect(valueUnder(yaml, 'global', 'server_name')).toBe('"conformance.localhost"');
    expect(valueUnder(yaml, 'global', 'disable_federation')).toBe('true');
    // Without outbound presence Dendrite accepts PUT /presence and does nothing.
    expect(yaml).toMatch(/presence:\n\s+enable_inbound: true\n\s+enable_outbound: true/);
    expect(valueUnder(yaml, 'federation_api', 'key_perspectives')).toBe('[]');
    expect(valueUnder(yaml, 'client_api', 'registration_shared_secret')).toBe('"s3cret-for-this-run"');
    expect(valueUnder(yaml, 'client_api', 'registration_disabled')).toBe('true');
    expect(yaml).toMatch(/rate_limiting:\n\s+enabled: false/);
    expect(yaml).toMatch(/report_stats:\n\s+enabled: false/);
    expect(yaml).toMatch(/metrics:\n\s+enabled: false/);

    // Every path the server writes to lies inside the work folder (removed when the run ends).
    const paths = [...yaml.matchAll(/"(?:file:)?(\/[^"]*)"/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThanOrEqual(11);
    for (const p of paths) expect(p.startsWith(`${dir}/`), p).toBe(true);
    const databases = [...yaml.matchAll(/connection_string: "file:([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(databases).size).toBe(8);
  });

  it('writes a signing key Dendrite can read: a MATRIX PRIVATE KEY block with a Key-ID and a 32-byte seed', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pc-dendrite-config-'));
    await writeDendriteConfig({ dataDir: dir, serverName: 'conformance.localhost', registrationSecret: 'x' });
    const pem = await readFile(path.join(dir, 'matrix_key.pem'), 'utf8');
    const match = /^-----BEGIN MATRIX PRIVATE KEY-----\nKey-ID: (ed25519:[A-Za-z0-9_]+)\n\n([A-Za-z0-9+/=\n]+)-----END MATRIX PRIVATE KEY-----\n$/.exec(pem);
    expect(match, pem).not.toBeNull();
    expect(Buffer.from(match![2]!.replace(/\n/g, ''), 'base64')).toHaveLength(32);
    expect(matrixKeyPem(Buffer.alloc(32, 1))).toContain(Buffer.alloc(32, 1).toString('base64'));
  });
});
