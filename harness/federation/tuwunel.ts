import type { LinkTraits } from './proxy.js';
import type { FederationSetup } from './setup.js';
import { everyRangeBut } from './loopback-only.js';

/**
 * How the proxy fronts a tuwunel 1.4.6 of a pair (measured by hand,
 * docs/federation.md "tuwunel"): the build has no TLS listener (`direct_tls`
 * is not a default feature), so the proxy presents the run's certificate in
 * its name and forwards over plain HTTP; and its signing key lives in its
 * database (no config key sets it), so the proxy publishes the harness's key
 * in its name for injection and the self-check's tampers.
 */
export const TUWUNEL_LINK: LinkTraits = { upstreamScheme: 'http', publishesHarnessKey: true };

/** What a tuwunel of a pair is given on top of its ordinary config: `[global]` keys and its environment. */
export interface TuwunelFederation {
  /** Keys of `[global]` (TOML values as JSON: strings, booleans, arrays of strings). */
  global: Record<string, string | number | boolean | readonly (string | number)[]>;
  env: Record<string, string>;
}

/**
 * The federation fragment of a tuwunel's config. `caFile`: the run's CA
 * (`setup.ca`) written to a file; `clientPort`: the port the suite's clients
 * use. tuwunel serves every API on each port it listens on, so the one
 * `setup.federationPort` the proxy forwards to is a second plain listener.
 */
export function tuwunelFederation(setup: FederationSetup, caFile: string, clientPort: number): TuwunelFederation {
  return {
    global: {
      server_name: setup.serverName,
      address: ['127.0.0.1'],
      port: [clientPort, setup.federationPort],
      allow_federation: true,
      // No notary: keys are fetched from the peer itself, through the proxy.
      trusted_servers: [],
      // Outbound requests to 127.0.0.1 only: the default list denies
      // 127.0.0.0/8, and for a server named by an IP literal the check is of
      // that literal (src/service/resolver/actual.rs validate_dest_ip_literal).
      ip_range_denylist: everyRangeBut('127.0.0.1'),
      allow_incoming_presence: true,
      allow_outgoing_presence: true,
    },
    // reqwest with rustls-tls-native-roots: rustls-native-certs 0.8 takes its
    // roots from SSL_CERT_FILE alone when it is set (checked: another CA there
    // fails with UnknownIssuer).
    env: { SSL_CERT_FILE: caFile },
  };
}
