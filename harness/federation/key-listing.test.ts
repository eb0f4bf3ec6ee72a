import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { KEY_LISTING, withHarnessKey } from './key-listing.js';
import { publicKeyOf } from './x-matrix.js';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

describe('withHarnessKey', () => {
  const key = { keyId: 'ed25519:a_pc', seed: randomBytes(32) };
  const listing = {
    server_name: '127.0.0.1:1234',
    valid_until_ts: 1_900_000_000_000,
    verify_keys: { 'ed25519:own': { key: 'b3du' } },
    old_verify_keys: {},
    signatures: { '127.0.0.1:1234': { 'ed25519:own': 'c2ln' } },
  };

  it('keeps the server\'s own key, adds the harness\'s and signs the listing with it alone', () => {
    const changed = withHarnessKey(listing, '127.0.0.1:1234', key) as { verify_keys: Record<string, { key: string }>; signatures: Record<string, Record<string, string>> };
    expect(changed.verify_keys).toEqual({ 'ed25519:own': { key: 'b3du' }, 'ed25519:a_pc': { key: publicKeyOf(key) } });
    expect(Object.keys(changed.signatures['127.0.0.1:1234']!)).toEqual(['ed25519:a_pc']);
    const { signatures, ...signed } = changed;
    const publicKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(publicKeyOf(key), 'base64')]), format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(canonicalJson(signed)), publicKey, Buffer.from(signatures['127.0.0.1:1234']!['ed25519:a_pc']!, 'base64'))).toBe(true);
  });

  it('leaves what is not a listing alone, and matches only the key listing paths', () => {
    expect(withHarnessKey('nope', 's', key)).toBe('nope');
    expect(['/_matrix/key/v2/server', '/_matrix/key/v2/server/ed25519:x', '/_matrix/key/v2/query'].map((p) => KEY_LISTING.test(p))).toEqual([true, true, false]);
  });
});
