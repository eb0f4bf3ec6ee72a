import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderTuwunelConfig, writeTuwunelConfig } from './config.js';
import { TUWUNEL_PRESENCE_SECONDS, TUWUNEL_TIMINGS } from './timings.js';

/**
 * The `[global]` keys of a rendered config. Every value the template holds is
 * JSON as well as TOML (strings, numbers, booleans, arrays), so each line
 * parses as `key = JSON`; one that does not fails the test.
 */
function globalKeys(toml: string): Record<string, unknown> {
  const keys: Record<string, unknown> = {};
  const lines = toml.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  expect(lines[0]).toBe('[global]');
  for (const line of lines.slice(1)) {
    const match = /^([a-z_]+) = (.+)$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(Object.hasOwn(keys, match![1]!), `${match![1]} twice`).toBe(false);
    keys[match![1]!] = JSON.parse(match![2]!);
  }
  return keys;
}

const input = { serverName: 'conformance.localhost', port: 41234, registrationToken: 'token-for-this-run' };

describe('tuwunel config', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('binds loopback, keeps federation and outbound traffic off, registers by token, and sets the declared presence timers', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pc-tuwunel-config-'));
    const configPath = await writeTuwunelConfig({ ...input, workDir: dir });
    const toml = await readFile(configPath, 'utf8');
    expect(toml).not.toMatch(/\{\{/);
    expect((await stat(configPath)).mode & 0o077).toBe(0);
    expect((await stat(path.join(dir, 'database'))).isDirectory()).toBe(true);

    expect(globalKeys(toml)).toMatchObject({
      server_name: 'conformance.localhost',
      database_path: path.join(dir, 'database'),
      address: ['127.0.0.1'],
      port: 41234,
      allow_federation: false,
      trusted_servers: [],
      startup_netburst: false,
      sentry: false,
      allow_registration: true,
      registration_token: 'token-for-this-run',
      create_admin_room: false,
      allow_local_presence: true,
      presence_idle_timeout_s: TUWUNEL_PRESENCE_SECONDS.idleTimeout,
      presence_offline_timeout_s: TUWUNEL_PRESENCE_SECONDS.offlineTimeout,
    });
    // Open registration needs this key; the run registers by token only.
    expect(globalKeys(toml)).not.toHaveProperty('yes_i_am_very_very_sure_i_want_an_open_registration_server_prone_to_abuse');
    expect(globalKeys(toml)).not.toHaveProperty('registration_shared_secret');
  });

  it('declares the same timers it configures', () => {
    expect(TUWUNEL_TIMINGS.idleTimeoutMs).toBe(TUWUNEL_PRESENCE_SECONDS.idleTimeout * 1000);
    expect(TUWUNEL_TIMINGS.syncOnlineTimeoutMs).toBe(TUWUNEL_PRESENCE_SECONDS.offlineTimeout * 1000);
    // tuwunel refreshes a syncing user's last activity only every 60 s (REFRESH_TIMEOUT): an idle timeout at or under it would idle users who sync.
    expect(TUWUNEL_TIMINGS.idleTimeoutMs).toBeGreaterThan(60_000);
  });

  it('switches presence off, and adds the shared secret where the binary has the key', async () => {
    const keys = globalKeys(await renderTuwunelConfig({ ...input, workDir: '/tmp/x', presenceDisabled: true, registrationSharedSecret: 'shh' }));
    expect(keys).toMatchObject({ allow_local_presence: false, registration_shared_secret: 'shh', registration_token: 'token-for-this-run' });
  });
});
