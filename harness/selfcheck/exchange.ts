/**
 * What a mutant sees of one proxied client request and, later, of the
 * server's answer. Mutants change these objects in place; the proxy forwards
 * (or answers with) whatever they leave behind.
 */

import { SLIDING_SYNC_PATHS } from '../story/client/sliding-sync.js';

/** The client-server endpoints mutants care about; everything else is `other`. */
export type Route =
  | 'presence-put'
  | 'presence-get'
  | 'sync'
  /** A simplified sliding sync request (MSC4186), at either path clients use. */
  | 'sliding-sync'
  | 'send'
  | 'register'
  | 'login'
  | 'other';

/** A client request as the proxy received it, still modifiable before forwarding. */
export interface ProxiedRequest {
  method: string;
  route: Route;
  /** Path and query, e.g. `/_matrix/client/v3/sync?timeout=0`. Mutants may rewrite it (see `query`). */
  url: URL;
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined for an empty or non-JSON body. */
  json: unknown;
  /** Raw body, used when `json` is undefined. */
  raw: Buffer;
  /** Bearer token of the request, if any. Never written anywhere. */
  token?: string;
  /** User ID the token belongs to, once known. */
  requester?: string;
  /** For presence routes: the user whose presence the path names. */
  subject?: string;
  /** Epoch ms at which the request arrived. */
  receivedAt: number;
}

/** The server's answer (or a mutant's), modifiable before it reaches the client. */
export interface ProxiedResponse {
  status: number;
  /** Parsed JSON body; mutants edit it in place or replace it. */
  json: unknown;
}

/** A mutant's own answer in place of the server's: the request is not forwarded. */
export interface Answer {
  status: number;
  json: unknown;
}

const PRESENCE = /^\/_matrix\/client\/(?:v3|r0)\/presence\/([^/]+)\/status$/;

/** Classifies a request path (without query) into a `Route`, with the presence subject if any. */
export function classify(method: string, pathname: string): { route: Route; subject?: string } {
  const presence = PRESENCE.exec(pathname);
  if (presence) {
    const subject = safeDecode(presence[1] ?? '');
    if (method === 'PUT') return { route: 'presence-put', subject };
    if (method === 'GET') return { route: 'presence-get', subject };
  }
  if (method === 'GET' && /^\/_matrix\/client\/(?:v3|r0)\/sync$/.test(pathname)) return { route: 'sync' };
  if (method === 'POST' && (SLIDING_SYNC_PATHS as readonly string[]).includes(pathname)) return { route: 'sliding-sync' };
  if (method === 'PUT' && /^\/_matrix\/client\/(?:v3|r0)\/rooms\/[^/]+\/send\//.test(pathname)) return { route: 'send' };
  if (method === 'POST' && (pathname === '/_synapse/admin/v1/register' || /^\/_matrix\/client\/(?:v3|r0)\/register$/.test(pathname))) return { route: 'register' };
  if (method === 'POST' && /^\/_matrix\/client\/(?:v3|r0)\/login$/.test(pathname)) return { route: 'login' };
  return { route: 'other' };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** An `m.presence` event as found in a /sync body (loosely typed: mutants may break it). */
export interface PresenceEventLike {
  sender?: string;
  type?: string;
  content?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * The `presence.events` array of a /sync body, created if `create` and
 * missing; undefined when the body has none and `create` is false.
 */
export function presenceEvents(body: unknown, create = false): PresenceEventLike[] | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const sync = body as { presence?: { events?: unknown } };
  if (!sync.presence || typeof sync.presence !== 'object') {
    if (!create) return undefined;
    sync.presence = {};
  }
  if (!Array.isArray(sync.presence.events)) {
    if (!create) return undefined;
    sync.presence.events = [];
  }
  return sync.presence.events as PresenceEventLike[];
}

/** The body of a GET status 200 as a mutable record, or undefined. */
export function statusBody(response: ProxiedResponse): Record<string, unknown> | undefined {
  if (response.status !== 200 || !response.json || typeof response.json !== 'object') return undefined;
  return response.json as Record<string, unknown>;
}
