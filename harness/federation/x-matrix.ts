import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';

/** A server's ed25519 signing key: its id (e.g. `ed25519:a_pc`) and 32-byte seed. */
export interface SigningKey {
  keyId: string;
  seed: Buffer;
}

/** PKCS#8 DER prefix of an ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Unpadded standard base64, as Matrix writes signatures and keys. */
export function unpaddedBase64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

function privateKeyOf(key: SigningKey) {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, key.seed]), format: 'der', type: 'pkcs8' });
}

/** Signs `value`'s canonical JSON with `key`; the unpadded base64 signature. */
export function signJson(value: unknown, key: SigningKey): string {
  return unpaddedBase64(sign(null, Buffer.from(canonicalJson(value), 'utf8'), privateKeyOf(key)));
}

/** The unpadded base64 ed25519 public key of `key`, as a key listing's `verify_keys` gives it. */
export function publicKeyOf(key: SigningKey): string {
  // The raw 32 bytes end the SPKI DER.
  return unpaddedBase64(createPublicKey(privateKeyOf(key)).export({ format: 'der', type: 'spki' }).subarray(-32));
}

export interface FederationRequest {
  method: string;
  /** The path and query, e.g. `/_matrix/federation/v1/send/txn1`. */
  uri: string;
  origin: string;
  destination: string;
  content?: unknown;
}

/**
 * The `Authorization: X-Matrix ...` header of a federation request
 * (server-server API, "Request Authentication"): the origin's signature
 * over the canonical JSON of method, uri, origin, destination and content.
 */
export function xMatrixAuthorization(request: FederationRequest, key: SigningKey): string {
  const signed = { method: request.method, uri: request.uri, origin: request.origin, destination: request.destination, ...(request.content === undefined ? {} : { content: request.content }) };
  const sig = signJson(signed, key);
  return `X-Matrix origin="${request.origin}",destination="${request.destination}",key="${key.keyId}",sig="${sig}"`;
}
