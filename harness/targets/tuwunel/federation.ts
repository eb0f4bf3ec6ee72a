import type { LinkTraits } from '../../federation/proxy.js';
import type { FederationSetup } from '../../federation/setup.js';

/**
 * How the proxy fronts a tuwunel 1.4.6 of a pair (measured by hand,
 * docs/federation.md "tuwunel"): the build has no TLS listener (`direct_tls`
 * is not a default feature), so the proxy presents the run's certificate in
 * its name and forwards over plain HTTP; and its signing key lives in its
 * database (no config key sets it), so the proxy publishes the harness's key
 * in its name for injection and the self-check's tampers.
 */
export const TUWUNEL_LINK: LinkTraits = { upstreamScheme: 'http', publishesHarnessKey: true };

/** What a tuwunel of a pair is given on top of its ordinary config. */
export interface TuwunelFederation {
  /** `127.0.0.1:<the proxy's port for it>`: an IP literal, so tuwunel makes no lookup. */
  serverName: string;
  /**
   * A second plain listener on 127.0.0.1, the one the proxy forwards to:
   * tuwunel serves every API on each port it listens on.
   */
  federationPort: number;
  env: Record<string, string>;
}

/**
 * The federation part of a pair's tuwunel. `caFile`: the run's CA
 * (`setup.ca`) written to a file. reqwest with rustls-tls-native-roots:
 * rustls-native-certs 0.8 takes its roots from SSL_CERT_FILE alone when it
 * is set (checked: another CA there fails with UnknownIssuer). Outbound
 * requests reach 127.0.0.1 alone in every tuwunel of the harness
 * (tuwunel.toml's ip_range_denylist), which a server named by an IP literal
 * needs: tuwunel checks that literal against the list
 * (src/service/resolver/actual.rs validate_dest_ip_literal).
 */
export function tuwunelFederation(setup: FederationSetup, caFile: string): TuwunelFederation {
  return { serverName: setup.serverName, federationPort: setup.federationPort, env: { SSL_CERT_FILE: caFile } };
}
