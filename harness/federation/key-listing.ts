import { publicKeyOf, signJson, type SigningKey } from './x-matrix.js';

/** The path a server publishes its signing keys on (server-server API, "Publishing Keys"). */
export const KEY_LISTING = /^\/_matrix\/key\/v2\/server(\/|\?|$)/;

/**
 * A server's key listing (`GET /_matrix/key/v2/server`) with the harness's
 * key for it added to `verify_keys`, signed by that key alone. For a server
 * whose own key the harness cannot set (tuwunel makes its key in its
 * database): receivers then take the harness's signatures in its name, so
 * injected transactions and tampered ones verify, while the server's own
 * key stays listed and its own signatures keep verifying. Its own signature
 * over the listing is dropped (it no longer covers the changed listing); a
 * receiver needs one signature by a listed key (Synapse:
 * `process_v2_response`). Anything but a listing object is left as it is.
 */
export function withHarnessKey(listing: unknown, serverName: string, key: SigningKey): unknown {
  if (typeof listing !== 'object' || listing === null || Array.isArray(listing)) return listing;
  const { signatures: _own, unsigned: _unsigned, ...rest } = listing as Record<string, unknown>;
  const verifyKeys = typeof rest.verify_keys === 'object' && rest.verify_keys !== null ? (rest.verify_keys as Record<string, unknown>) : {};
  const changed = { ...rest, verify_keys: { ...verifyKeys, [key.keyId]: { key: publicKeyOf(key) } } };
  return { ...changed, signatures: { [serverName]: { [key.keyId]: signJson(changed, key) } } };
}
