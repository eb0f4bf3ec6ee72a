import { randomBytes } from 'node:crypto';
import { HarnessError } from '../errors.js';
import { freePort } from '../targets/managed-process.js';
import type { StartedTarget } from '../targets/target.js';
import { issueServerCert, makeTestCa } from '../tls/test-ca.js';
import { FederationProxy, type LinkTraits, type ProxiedServer } from '../federation/proxy.js';
import type { FederationSetup } from '../federation/setup.js';

/** Which server of the pair is being started. */
export type PairRole = 'first' | 'second';


/**
 * Starts two embedded servers that federate with each other and nothing
 * else, through the recording proxy, on 127.0.0.1 only: a CA and a
 * certificate for 127.0.0.1 made for the run (verification stays on), a
 * signing key each, names that are IP literals with the proxy's port for
 * each server (no .well-known, SRV or DNS lookup), each server allowing
 * exactly the two names. `startOne` boots one server with its setup. The
 * returned target is the first server, with the second as its `peer`; its
 * `stop` stops both and the proxy.
 */
export async function startPair(
  startOne: (role: PairRole, federation: FederationSetup) => Promise<StartedTarget>,
  progress: (line: string) => void,
  traits: Partial<Record<PairRole, LinkTraits>> = {},
): Promise<StartedTarget> {
  const ca = await makeTestCa('presence-conformance federation CA');
  const tls = await issueServerCert(ca, ['IP:127.0.0.1']);
  const [proxyFirst, proxySecond, tlsFirst, tlsSecond] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const servers: [ProxiedServer, ProxiedServer] = [
    { name: `127.0.0.1:${proxyFirst}`, listenPort: proxyFirst, upstreamPort: tlsFirst, signingKey: { keyId: 'ed25519:a_pc', seed: randomBytes(32) }, ...traits.first },
    { name: `127.0.0.1:${proxySecond}`, listenPort: proxySecond, upstreamPort: tlsSecond, signingKey: { keyId: 'ed25519:a_pc', seed: randomBytes(32) }, ...traits.second },
  ];
  const proxy = await FederationProxy.start({ servers, tls, ca: ca.cert });
  progress(`federation proxy on 127.0.0.1:${proxyFirst} and 127.0.0.1:${proxySecond}, recording every transaction`);
  const setup = (server: ProxiedServer): FederationSetup => ({
    serverName: server.name,
    federationPort: server.upstreamPort,
    tls,
    ca: ca.cert,
    domains: servers.map((s) => s.name),
    signingKey: server.signingKey,
  });
  const started = await Promise.allSettled([startOne('first', setup(servers[0])), startOne('second', setup(servers[1]))]);
  const [first, second] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
  if (!first || !second) {
    await Promise.all([first?.stop(), second?.stop(), proxy.close()]);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected')!;
    throw failed.reason instanceof HarnessError ? failed.reason : new HarnessError(`could not start the federating pair: ${String(failed.reason)}`);
  }
  return {
    ...first,
    peer: { kind: second.kind, baseUrl: second.baseUrl, serverName: second.serverName!, serverVersion: second.serverVersion, registration: second.registration, timings: second.timings },
    federationControlUrl: proxy.controlUrl,
    federation: proxy,
    stop: async () => {
      await Promise.all([first.stop(), second.stop()]);
      await proxy.close();
    },
  };
}
