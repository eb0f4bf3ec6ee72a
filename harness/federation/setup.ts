import type { KeyPair } from '../tls/test-ca.js';
import type { SigningKey } from './x-matrix.js';

/**
 * What one server of a federating pair is told (harness/runner/start-pair.ts):
 * its name (an IP literal with the port of the recording proxy in front of
 * it), its own TLS federation listener, the run's CA and a certificate it
 * signed for 127.0.0.1, the only domains it may federate with, and the
 * signing key it must use (the proxy signs injected transactions with it).
 */
export interface FederationSetup {
  serverName: string;
  federationPort: number;
  tls: KeyPair;
  /** The run's CA certificate (PEM): the only one trusted for federation. */
  ca: string;
  /** Both servers' names. */
  domains: readonly string[];
  signingKey: SigningKey;
}
