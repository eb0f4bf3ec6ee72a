import { createPublicKey, verify, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { signJson, xMatrixAuthorization } from './x-matrix.js';

// The signing key of the spec's worked example (appendices, "Signing JSON"):
// seed "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1"; its signature of {} is given there.
const SEED = Buffer.from('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1', 'base64');
const key = { keyId: 'ed25519:1', seed: SEED };

describe('X-Matrix signing', () => {
  it('signs the empty object as the spec\'s worked example does', () => {
    expect(signJson({}, key)).toBe('K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ');
  });

  it('puts origin, destination, key and a signature over the request in the header', () => {
    const header = xMatrixAuthorization({ method: 'PUT', uri: '/_matrix/federation/v1/send/t1', origin: '127.0.0.1:1', destination: '127.0.0.1:2', content: { edus: [] } }, key);
    const sig = /sig="([^"]+)"/.exec(header)![1]!;
    expect(header).toMatch(/^X-Matrix origin="127\.0\.0\.1:1",destination="127\.0\.0\.1:2",key="ed25519:1",sig="/);
    const publicKey = createPublicKey(createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), SEED]), format: 'der', type: 'pkcs8' }));
    const signed = canonicalJson({ method: 'PUT', uri: '/_matrix/federation/v1/send/t1', origin: '127.0.0.1:1', destination: '127.0.0.1:2', content: { edus: [] } });
    expect(verify(null, Buffer.from(signed), publicKey, Buffer.from(sig, 'base64'))).toBe(true);
  });
});
