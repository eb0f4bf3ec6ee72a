import { describe, expect, it } from 'vitest';
import { newRunPrefix, runPrefixOf, serverNameOf } from './user-id.js';

describe('run prefixes', () => {
  it('are read back from the user IDs a run registers, on any server', () => {
    const prefix = newRunPrefix();
    expect(prefix).toMatch(/^pc[a-z0-9]+$/);
    expect(runPrefixOf(`@${prefix}-3c4d5e-alice-ann:127.0.0.1:8448`)).toBe(prefix);
    expect(runPrefixOf(`@${prefix}-preflight:hs`)).toBe(prefix);
    expect(runPrefixOf('@alice:hs')).toBe('alice');
    expect(newRunPrefix()).not.toBe(prefix);
  });

  it('give the server name a user lives on, port included', () => {
    expect(serverNameOf('@pc1-alice:127.0.0.1:8448')).toBe('127.0.0.1:8448');
    expect(serverNameOf('@alice:conformance.localhost')).toBe('conformance.localhost');
  });
});
