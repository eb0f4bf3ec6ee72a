import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { tlsConnectOptions } from '../story/client/trust.js';
import type { FederationLink } from '../federation/proxy.js';
import type { Edu } from '../story/federation/transaction.js';
import { runPrefixOf } from '../user-id.js';
import { classify, type ProxiedRequest, type ProxiedResponse } from './exchange.js';
import { Identities } from './identities.js';
import type { LinkDirection, MutantBehaviour, MutationContext, PushItem } from './mutant.js';

/** Headers that describe one connection, not the message: never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

export interface FaultProxyOptions {
  /** Origin of the homeserver to forward to. */
  upstream: string;
  /** The fault to inject; none for a faithful proxy. */
  behaviour?: MutantBehaviour;
  /** Delays every response (latency mode): a slow network or a distant server, with no fault. */
  latency?: Latency;
  /** A federating pair's link (the server under test named first): the behaviour's `presence` hook tampers with it. */
  federation?: FederationLink;
}

/**
 * Latency mode: every response waits `delayMs` plus a uniform jitter in
 * [-jitterMs, +jitterMs] (never below 0) before the proxy starts sending it.
 * 250 ± 250 ms is the case the suite must survive with unchanged verdicts
 * (harness/selfcheck/latency.e2e.test.ts).
 */
export interface Latency {
  delayMs: number;
  jitterMs: number;
  /** Uniform in [0, 1); Math.random unless a test fixes it. */
  random?: () => number;
}

/** The delay one response gets under `latency`. */
export function latencyDelayMs(latency: Latency): number {
  const u = (latency.random ?? Math.random)();
  return Math.max(0, latency.delayMs + (2 * u - 1) * latency.jitterMs);
}

/**
 * A fault-injecting HTTP proxy in front of a homeserver, bound to 127.0.0.1
 * on a free port. It forwards every request; the mutant's behaviour may
 * rewrite the request, answer in the server's place, or rewrite a JSON
 * answer. Answers nobody wants to rewrite are streamed through untouched, and
 * nothing times out on the proxy's side, so long-polling /sync behaves as it
 * does without the proxy; a client that goes away aborts its upstream request.
 */
export class FaultProxy {
  private readonly server: http.Server;
  private readonly pool: Pool;
  private readonly identities: Identities;
  private readonly behaviour: MutantBehaviour;
  private readonly counts = new Map<string, number>();
  private readonly context: MutationContext;
  private requestCount = 0;
  private address: AddressInfo | undefined;
  /** Prefixes of the localparts of users registered through this proxy: one per run (harness/runner/run.ts). */
  private readonly runPrefixes = new Set<string>();
  private untamper: (() => void) | undefined;

  constructor(private readonly options: FaultProxyOptions) {
    const connect = tlsConnectOptions(options.upstream);
    this.pool = new Pool(new URL(options.upstream).origin, { connections: 256, keepAliveTimeout: 30_000, pipelining: 1, ...(connect ? { connect } : {}) });
    this.identities = new Identities(this.pool);
    this.behaviour = options.behaviour ?? {};
    this.context = {
      fired: (note) => this.counts.set(note, (this.counts.get(note) ?? 0) + 1),
      tokenOf: (userId) => this.identities.tokenOf(userId),
      ours: (userId) => this.runPrefixes.has(runPrefixOf(userId)),
      actAs: (userId, method, path, json) => this.actAs(userId, method, path, json),
      ...(options.federation ? { sendPresence: (items: PushItem[]) => this.sendPresence(options.federation!, items) } : {}),
    };
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((cause: unknown) => this.failed(res, cause));
    });
    this.server.keepAliveTimeout = 30_000;
    // Long polls may take as long as the client asks; the client's own timeout governs.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 60_000;
  }

  /** Listens on 127.0.0.1 (free port); resolves once ready. */
  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
    const { federation } = this.options;
    if (federation && this.behaviour.presence) {
      const [underTest] = federation.names;
      this.untamper = federation.tamper({
        sent: (route, edus) => (route.origin === underTest ? this.tamperPresence('outbound', edus) : undefined),
        delivered: (route, edus) => (route.destination === underTest ? this.tamperPresence('inbound', edus) : undefined),
      });
    }
    return this;
  }

  /** Base URL clients should use instead of the server's. */
  get url(): string {
    if (!this.address) throw new Error('proxy not started');
    return `http://127.0.0.1:${this.address.port}`;
  }

  /** How often each kind of fault was injected, by note. */
  get injected(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** Requests handled so far. */
  get requests(): number {
    return this.requestCount;
  }

  /** Stops listening, drops open connections (including pending long polls) and closes the upstream pool. Idempotent. */
  async stop(): Promise<void> {
    this.untamper?.();
    this.untamper = undefined;
    if (this.server.listening) {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
      await closed;
    }
    await this.pool.destroy().catch(() => undefined);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requestCount++;
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    const method = req.method ?? 'GET';
    const { route, subject } = classify(method, url.pathname);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const token = bearer(headers.authorization) ?? url.searchParams.get('access_token') ?? undefined;
    const json = parseJson(raw);
    const request: ProxiedRequest = { method, route, url, headers, json, raw, token, subject, receivedAt: Date.now() };
    if (token && this.behaviour !== undefined && (this.behaviour.request || this.behaviour.response)) {
      request.requester = await this.identities.userOf(token);
    }

    const before = json === undefined ? undefined : JSON.stringify(json);
    const answer = this.behaviour.request?.(request, this.context);
    if (answer) {
      await this.delay();
      sendJson(res, answer.status, answer.json, {});
      return;
    }
    let body: Buffer | string = raw;
    if (request.json !== undefined && JSON.stringify(request.json) !== before) body = JSON.stringify(request.json);
    if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));

    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const upstream = await this.pool.request({
      method: method as 'GET',
      path: request.url.pathname + request.url.search,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : body,
      signal: abort.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });

    const responseHeaders: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(upstream.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) responseHeaders[name] = value;
    }
    const isJson = String(upstream.headers['content-type'] ?? '').includes('json');
    const learns = route === 'register' || route === 'login';
    const rewrites = isJson && (this.behaviour.wantsResponse?.(request) ?? false) && this.behaviour.response !== undefined;
    if (!isJson || (!learns && !rewrites)) {
      // Untouched: stream it through as it arrives.
      await this.delay();
      res.writeHead(upstream.statusCode, responseHeaders);
      upstream.body.on('error', () => res.destroy());
      upstream.body.pipe(res);
      return;
    }

    await this.delay();
    const text = await upstream.body.text();
    const parsed = parseJson(Buffer.from(text));
    const response: ProxiedResponse = { status: upstream.statusCode, json: parsed };
    if (learns) this.learn(response);
    if (!rewrites || parsed === undefined) {
      delete responseHeaders['content-length'];
      res.writeHead(upstream.statusCode, { ...responseHeaders, 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
      return;
    }
    await this.behaviour.response!(request, response, this.context);
    sendJson(res, response.status, response.json, responseHeaders);
  }

  /** Waits for latency mode's delay, if any, before a response starts. */
  private async delay(): Promise<void> {
    if (!this.options.latency) return;
    const ms = latencyDelayMs(this.options.latency);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  private learn(response: ProxiedResponse): void {
    const body = response.json as { user_id?: unknown; access_token?: unknown } | undefined;
    if (response.status === 200 && typeof body?.user_id === 'string' && typeof body.access_token === 'string') {
      this.identities.learn(body.access_token, body.user_id);
      this.runPrefixes.add(runPrefixOf(body.user_id));
    }
  }

  /**
   * The behaviour's `presence` hook over every m.presence push item about a
   * user of this proxy's run; the EDUs to use instead, or undefined if it
   * changed none. An EDU left with no item is dropped.
   */
  private async tamperPresence(direction: LinkDirection, edus: Edu[]): Promise<Edu[] | undefined> {
    let changed = false;
    const out: Edu[] = [];
    for (const edu of edus) {
      const push = edu.edu_type === 'm.presence' ? (edu.content as { push?: unknown } | undefined)?.push : undefined;
      if (!Array.isArray(push)) {
        out.push(edu);
        continue;
      }
      const items: unknown[] = [];
      for (const item of push as unknown[]) {
        const about = typeof item === 'object' && item !== null ? (item as PushItem).user_id : undefined;
        if (typeof about !== 'string' || !this.context.ours(about)) {
          items.push(item);
          continue;
        }
        const instead = await this.behaviour.presence!(direction, structuredClone(item as PushItem), this.context);
        if (instead.length !== 1 || JSON.stringify(instead[0]) !== JSON.stringify(item)) changed = true;
        items.push(...instead);
      }
      if (items.length > 0) out.push({ ...edu, content: { ...(edu.content as object), push: items } });
    }
    return changed ? out : undefined;
  }

  private async actAs(userId: string, method: 'PUT' | 'POST', path: string, json: unknown): Promise<number> {
    const token = this.identities.tokenOf(userId);
    if (!token) return 0;
    const response = await this.pool.request({ method, path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
    await response.body.dump();
    return response.statusCode;
  }

  private sendPresence(federation: FederationLink, items: PushItem[]): Promise<number> {
    const [underTest, other] = federation.names;
    return federation.send(underTest, other, [{ edu_type: 'm.presence', content: { push: items } }]);
  }

  private failed(res: ServerResponse, cause: unknown): void {
    if ((cause as { name?: string }).name === 'AbortError' || res.destroyed) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    sendJson(res, 502, { errcode: 'M_UNKNOWN', error: `self-check proxy could not reach the server: ${message}` }, {});
  }
}

function sendJson(res: ServerResponse, status: number, json: unknown, headers: Record<string, string | string[]>): void {
  const text = JSON.stringify(json ?? {});
  const out: Record<string, string | string[]> = { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
  res.writeHead(status, out);
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function bearer(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1];
}
