import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueServerCert, makeTestCa } from './test-ca.js';

describe('test CA', () => {
  it('makes a CA and a server certificate it signed, for an IP literal', { timeout: 20_000 }, async () => {
    const ca = await makeTestCa();
    const server = await issueServerCert(ca, ['IP:127.0.0.1', 'DNS:localhost']);
    const caCert = new X509Certificate(ca.cert);
    const cert = new X509Certificate(server.cert);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('10.0.0.1')).toBeUndefined();
    expect(server.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});
