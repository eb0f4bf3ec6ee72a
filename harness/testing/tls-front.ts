import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { issueServerCert, makeTestCa, type KeyPair } from '../tls/test-ca.js';

/** What a TLS front answers itself (path -> status and body); anything else goes to `upstream`, or 404. */
export type FrontRoutes = Record<string, [number, string]>;

export interface TlsFront {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`: a server name whose well-known it serves. */
  host: string;
  close(): Promise<void>;
}

/**
 * An https server on 127.0.0.1 for tests, with a certificate `issueServerCert`
 * made (SANs IP:127.0.0.1 and DNS:localhost): it answers `routes` itself and
 * forwards everything else, streamed both ways (long-polling /sync
 * included), to a plain-http `upstream` such as an embedded Synapse. What a
 * deployment's TLS-terminating reverse proxy does, in a few lines. `routes`
 * may be changed after start (a well-known that names the front's own URL).
 */
export async function startTlsFront(cert: KeyPair, routes: FrontRoutes = {}, upstream?: string): Promise<TlsFront> {
  const server: Server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    const own = routes[req.url ?? ''];
    if (own || !upstream) {
      const [status, body] = own ?? [404, '{"errcode":"M_UNRECOGNIZED"}'];
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      return;
    }
    const target = new URL(req.url ?? '/', upstream);
    const forward = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `https://${host}`,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a TLS test trusts and serves: a CA's file, another CA's (one that does not verify the server), and a server certificate the first signed. */
export interface TestCaFiles {
  caFile: string;
  otherCaFile: string;
  cert: KeyPair;
}

/** Makes two CAs and a certificate for 127.0.0.1 and localhost from the first; writes both CAs as PEM files into `dir`. */
export async function writeTestCaFiles(dir: string): Promise<TestCaFiles> {
  const [ca, other] = await Promise.all([makeTestCa(), makeTestCa('another CA')]);
  const cert = await issueServerCert(ca, ['IP:127.0.0.1', 'DNS:localhost']);
  const caFile = path.join(dir, 'ca.pem');
  const otherCaFile = path.join(dir, 'other.pem');
  await writeFile(caFile, ca.cert);
  await writeFile(otherCaFile, other.cert);
  return { caFile, otherCaFile, cert };
}
