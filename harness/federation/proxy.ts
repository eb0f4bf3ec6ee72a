import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import type { KeyPair } from '../tls/test-ca.js';
import { KEY_LISTING, withHarnessKey } from './key-listing.js';
import { xMatrixAuthorization, type SigningKey } from './x-matrix.js';
import type { Edu, RecordedTransaction } from '../story/federation/transaction.js';

/** Headers that describe one connection, not the message: never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

/** How long an injected transaction is retried while the receiver answers 429. */
const INJECT_RETRY_MS = 10_000;

const SEND = /^\/_matrix\/federation\/v1\/send\/([^/?]+)/;

/** One homeserver of the pair as the proxy fronts it. */
export interface ProxiedServer {
  /** Its server name: `127.0.0.1:<the proxy's port for it>`. */
  name: string;
  /** The port the proxy listens on for it (the port in its name). */
  listenPort: number;
  /** Its own TLS federation listener on 127.0.0.1. */
  upstreamPort: number;
  /**
   * `http` for a server that cannot serve TLS itself (tuwunel built without
   * `direct_tls`): the proxy then presents the run's certificate in its name
   * and forwards over plain HTTP on loopback. Default `https`.
   */
  upstreamScheme?: 'https' | 'http';
  /**
   * The server makes its own signing key and cannot be given `signingKey`
   * (tuwunel keeps its key in its database): the proxy adds `signingKey` to
   * the key listing it publishes, signed by that key (key-listing.ts), so
   * receivers verify what the harness sends in its name.
   */
  publishesHarnessKey?: boolean;
  /** Its signing key, so the proxy can send a transaction in its name (injection). */
  signingKey: SigningKey;
}

/**
 * How the proxy must front one server of a pair, when not as Synapse and
 * Dendrite need (a TLS listener of its own, the harness's signing key): a
 * family declares them with its `federate` capability (tuwunel's
 * `TUWUNEL_LINK`).
 */
export type LinkTraits = Pick<ProxiedServer, 'upstreamScheme' | 'publishesHarnessKey'>;

/** Which way a transaction goes, and whether the harness sent it. */
export interface TransactionRoute {
  origin: string;
  destination: string;
  /** Sent by the harness (`inject`), not by a server. */
  injected: boolean;
}

/**
 * A fault on the federation link (the self-check's federation mutants):
 * `sent` changes what a server sends, before the record (as if the origin
 * had sent that); `delivered` changes what the destination gets, after the
 * record (as if the destination had handled it so). Each returns the EDUs
 * to use instead, or nothing to leave them as they are. A changed
 * transaction is re-signed in the origin's name.
 */
export interface TransactionTamper {
  sent?(route: TransactionRoute, edus: Edu[]): Edu[] | undefined | Promise<Edu[] | undefined>;
  delivered?(route: TransactionRoute, edus: Edu[]): Edu[] | undefined | Promise<Edu[] | undefined>;
}

/** What the self-check uses of a pair's federation link (harness/federation/proxy.ts). */
export interface FederationLink {
  /** The two servers' names: the server under test's first. */
  readonly names: readonly [string, string];
  /** Applies `tamper` to every transaction from now on; call the result to remove it. */
  tamper(tamper: TransactionTamper): () => void;
  /** Sends `edus` from `from` to `to` as that server's own transaction (recorded as not injected). */
  send(from: string, to: string, edus: Edu[]): Promise<number>;
  /** What has crossed the link so far (the bench's link figures); absent on a link that does not count. */
  readonly traffic?: LinkTraffic;
}

/** Running totals of what crossed the link: EDUs in transactions, and bytes of every request and response body. */
export interface LinkTraffic {
  edus: number;
  bytes: number;
}

export interface FederationProxyOptions {
  servers: readonly [ProxiedServer, ProxiedServer];
  /** The certificate the proxy presents (valid for 127.0.0.1 under `ca`). */
  tls: KeyPair;
  /** The run's CA (PEM): the only one the proxy trusts upstream. */
  ca: string;
}

/**
 * The recording federation proxy between the two servers of a pair, on
 * 127.0.0.1 only: each server's name carries the port the proxy listens on
 * for it, so every federation request between them (transactions, key
 * fetches, joins) passes through it. It forwards everything unchanged,
 * records every `/_matrix/federation/v1/send/{txnId}` transaction with its
 * EDUs, and can send a transaction of its own in one server's name,
 * signed with that server's key (injection). A control endpoint on plain
 * HTTP lets test workers read the record and inject.
 */
export class FederationProxy implements FederationLink {
  private readonly listeners: https.Server[] = [];
  private control: http.Server | undefined;
  private readonly upstream: Agent;
  private readonly recorded: RecordedTransaction[] = [];
  readonly traffic: LinkTraffic = { edus: 0, bytes: 0 };
  private readonly tampers = new Set<TransactionTamper>();
  /** The last transaction in flight per origin and destination (`inLane`). */
  private readonly lanes = new Map<string, Promise<void>>();

  private constructor(private readonly options: FederationProxyOptions) {
    this.upstream = new Agent({ connect: { ca: options.ca }, keepAliveTimeout: 30_000 });
  }

  /** Starts a listener per server and the control endpoint. */
  static async start(options: FederationProxyOptions): Promise<FederationProxy> {
    const proxy = new FederationProxy(options);
    for (const server of options.servers) {
      const listener = https.createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) =>
        // A tamper that threw: the transaction is not delivered, as if the link had failed.
        proxy.forward(server, req, res).catch((cause: unknown) => badGateway(res, cause)),
      );
      await listen(listener, server.listenPort);
      proxy.listeners.push(listener);
    }
    proxy.control = http.createServer((req, res) => void proxy.serveControl(req, res));
    await listen(proxy.control, 0);
    return proxy;
  }

  /** Where test workers read the record (`GET /transactions`) and inject (`POST /inject`). */
  get controlUrl(): string {
    return `http://127.0.0.1:${(this.control!.address() as AddressInfo).port}`;
  }

  get names(): readonly [string, string] {
    return [this.options.servers[0].name, this.options.servers[1].name];
  }

  tamper(tamper: TransactionTamper): () => void {
    this.tampers.add(tamper);
    return () => void this.tampers.delete(tamper);
  }

  async send(from: string, to: string, edus: Edu[]): Promise<number> {
    return (await this.transmit(from, to, edus, false)).status ?? 0;
  }

  /** Every transaction seen so far, in the order received. */
  transactions(): RecordedTransaction[] {
    return [...this.recorded];
  }

  /**
   * Sends a transaction of `edus` from `from` to `to`, signed with `from`'s
   * key, as a server would; recorded like any other. Resolves with the
   * receiving server's status.
   */
  async inject(from: string, to: string, edus: Edu[]): Promise<number> {
    return (await this.transmit(from, to, edus, true)).status ?? 0;
  }

  /** Sends and records one transaction; the record, with the receiver's status. */
  private async transmit(from: string, to: string, edus: Edu[], injected: boolean): Promise<RecordedTransaction> {
    const origin = this.server(from);
    const destination = this.server(to);
    const txnId = `pc-${injected ? 'injected' : 'sent'}-${randomBytes(6).toString('hex')}`;
    const uri = `/_matrix/federation/v1/send/${txnId}`;
    const entry: RecordedTransaction = { txnId, origin: origin.name, destination: destination.name, at: Date.now(), edus, pduCount: 0, injected };
    this.recorded.push(entry);
    const delivered = (await this.apply('delivered', entry, edus)) ?? edus;
    const content = { origin: origin.name, origin_server_ts: Date.now(), pdus: [], edus: delivered };
    // Waiting its turn (inLane) avoids overlapping the server's own
    // transactions; a 429 for another reason is retried, as a sending server
    // does, for up to INJECT_RETRY_MS.
    const giveUpAt = Date.now() + INJECT_RETRY_MS;
    const status = await this.inLane(entry, async () => {
      for (let delay = 100; ; delay = Math.min(delay * 2, 1_000)) {
        const response = await request(upstreamUrl(destination, uri), {
          method: 'PUT',
          dispatcher: this.upstream,
          headers: {
            'content-type': 'application/json',
            authorization: xMatrixAuthorization({ method: 'PUT', uri, origin: origin.name, destination: destination.name, content }, origin.signingKey),
          },
          body: JSON.stringify(content),
        });
        await response.body.dump();
        if (response.statusCode !== 429 || Date.now() + delay > giveUpAt) return response.statusCode;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    });
    entry.status = status;
    return entry;
  }

  /** Runs every tamper's `stage` over `edus` in turn; the changed EDUs, or undefined if none changed them. */
  private async apply(stage: keyof TransactionTamper, route: TransactionRoute, edus: Edu[]): Promise<Edu[] | undefined> {
    let current: Edu[] | undefined;
    for (const tamper of this.tampers) {
      const changed = await tamper[stage]?.({ origin: route.origin, destination: route.destination, injected: route.injected }, current ?? edus);
      if (changed) current = changed;
    }
    return current;
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners, ...(this.control ? [this.control] : [])].map((server) => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    })));
    await this.upstream.close();
  }

  private server(name: string): ProxiedServer {
    const server = this.options.servers.find((s) => s.name === name);
    if (!server) throw new Error(`no server ${name} in the pair`);
    return server;
  }

  private async forward(destination: ProxiedServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    this.traffic.bytes += body.length;
    const path = req.url ?? '/';
    const send = SEND.exec(path);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    let entry: RecordedTransaction | undefined;
    if (send && req.method === 'PUT') {
      const parsed = parseJson(body) as { origin?: unknown; edus?: unknown; pdus?: unknown } | undefined;
      const route: TransactionRoute = { origin: typeof parsed?.origin === 'string' ? parsed.origin : '?', destination: destination.name, injected: false };
      const edus = Array.isArray(parsed?.edus) ? (parsed.edus as Edu[]) : [];
      const sent = parsed ? await this.apply('sent', route, edus) : undefined;
      entry = { txnId: decodeURIComponent(send[1]!), ...route, at: Date.now(), edus: sent ?? edus, pduCount: Array.isArray(parsed?.pdus) ? parsed.pdus.length : 0 };
      this.recorded.push(entry);
      this.traffic.edus += entry.edus.length;
      const delivered = parsed ? await this.apply('delivered', route, entry.edus) : undefined;
      if (sent || delivered) {
        // The body changed, so the origin's signature over it must be made anew.
        const content = { ...(parsed as object), edus: delivered ?? entry.edus };
        body = Buffer.from(JSON.stringify(content));
        delete headers['content-length'];
        headers.authorization = xMatrixAuthorization({ method: 'PUT', uri: path, origin: route.origin, destination: destination.name, content }, this.server(route.origin).signingKey);
      }
    }
    // The listing is rewritten (publishesHarnessKey): ask for it uncompressed.
    if (destination.publishesHarnessKey && KEY_LISTING.test(path)) delete headers['accept-encoding'];
    const deliver = async () => {
      const upstream = await request(upstreamUrl(destination, path), {
        method: (req.method ?? 'GET') as 'GET',
        headers,
        body: body.length > 0 ? body : undefined,
        dispatcher: this.upstream,
      });
      if (entry) entry.status = upstream.statusCode;
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(upstream.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      if (destination.publishesHarnessKey && req.method === 'GET' && KEY_LISTING.test(path) && upstream.statusCode === 200) {
        const listing = Buffer.from(JSON.stringify(withHarnessKey(parseJson(Buffer.from(await upstream.body.arrayBuffer())), destination.name, destination.signingKey)));
        delete out['content-length'];
        res.writeHead(200, { ...out, 'content-length': String(listing.length) });
        res.end(listing);
        return;
      }
      res.writeHead(upstream.statusCode, out);
      for await (const chunk of upstream.body) {
        this.traffic.bytes += (chunk as Buffer).length;
        res.write(chunk);
      }
      res.end();
    };
    try {
      await (entry ? this.inLane(entry, deliver) : deliver());
    } catch (cause) {
      if (entry) entry.status = 0;
      badGateway(res, cause);
    }
  }

  /**
   * Runs `send` once every transaction before it from the same origin to
   * the same destination has been answered. A server takes one transaction
   * per origin at a time and answers 429 to another; a real sender sends one
   * at a time, so only the harness's own transactions (injected, or sent by
   * a mutant) could overlap one of the server's, and the 429 would then
   * make the real sender back off (Dendrite 0.13.8 for about a minute, seen
   * here). The harness must not disturb the servers: it waits its turn.
   */
  private inLane<T>(route: { origin: string; destination: string }, send: () => Promise<T>): Promise<T> {
    const key = `${route.origin}\u0000${route.destination}`;
    const turn = (this.lanes.get(key) ?? Promise.resolve()).then(send);
    const done = turn.then(() => undefined, () => undefined);
    this.lanes.set(key, done);
    void done.then(() => {
      if (this.lanes.get(key) === done) this.lanes.delete(key);
    });
    return turn;
  }

  private async serveControl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    try {
      if (req.method === 'GET' && req.url === '/transactions') return reply(200, this.transactions());
      if (req.method === 'POST' && req.url === '/inject') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const { from, to, edus } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { from: string; to: string; edus: RecordedTransaction['edus'] };
        // The transaction's ID too: tests running beside each other inject between the same two servers.
        const { status, txnId } = await this.transmit(from, to, edus, true);
        return reply(200, { status: status ?? 0, txnId });
      }
      reply(404, { error: 'GET /transactions or POST /inject' });
    } catch (cause) {
      reply(500, { error: cause instanceof Error ? cause.message : String(cause) });
    }
  }
}

function upstreamUrl(server: ProxiedServer, path: string): string {
  return `${server.upstreamScheme ?? 'https'}://127.0.0.1:${server.upstreamPort}${path}`;
}

/** Answers 502 (or ends an answer already begun): the link between the servers failed. */
function badGateway(res: ServerResponse, cause: unknown): void {
  if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errcode: 'M_UNKNOWN', error: `federation proxy: ${cause instanceof Error ? cause.message : String(cause)}` }));
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function listen(server: http.Server | https.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
