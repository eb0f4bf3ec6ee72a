import type { Exchange } from '../../story/client/recorder.js';
import type { Act, ActKind } from './model.js';

/** Epoch ms at which an exchange began and ended. */
export function exchangeTimes(x: Exchange): { startMs: number; endMs: number } {
  const startMs = Date.parse(x.startedAt);
  return { startMs, endMs: startMs + Math.max(0, x.durationMs) };
}

/** The path without its query, and the query's parameters. */
function splitPath(path: string): { route: string; query: URLSearchParams } {
  const at = path.indexOf('?');
  return at < 0 ? { route: path, query: new URLSearchParams() } : { route: path.slice(0, at), query: new URLSearchParams(path.slice(at + 1)) };
}

/** A sync of either API (/v3/sync, sliding sync's /v5 and its unstable prefix). */
export function isSync(x: Exchange): boolean {
  return /\/sync$/.test(splitPath(x.path).route);
}

/** GET /presence/{userId}/status: its user ID, when `x` is one. */
export function presenceGetOf(x: Exchange): string | undefined {
  const m = x.method === 'GET' ? /\/presence\/([^/]+)\/status$/.exec(splitPath(x.path).route) : null;
  return m ? safeDecode(m[1]!) : undefined;
}

/** PUT /presence/{userId}/status: its user ID, when `x` is one. */
export function presencePutOf(x: Exchange): string | undefined {
  const m = x.method === 'PUT' ? /\/presence\/([^/]+)\/status$/.exec(splitPath(x.path).route) : null;
  return m ? safeDecode(m[1]!) : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const ROUTES: Array<[RegExp, ActKind, string]> = [
  [/\/rooms\/[^/]+\/send\//, 'message', 'message'],
  [/\/rooms\/[^/]+\/typing\//, 'typing', 'typing'],
  [/\/rooms\/[^/]+\/(receipt|read_markers)/, 'receipt', 'receipt'],
  [/\/(join|rooms\/[^/]+\/join)(\/|$)/, 'join', 'join'],
  [/\/rooms\/[^/]+\/leave$/, 'leave', 'leave'],
  [/\/rooms\/[^/]+\/invite$/, 'invite', 'invite'],
  [/\/createRoom$/, 'room', 'create room'],
  [/\/(login|register)$/, 'login', 'log in'],
];

/** What a device did in `x`, drawn on its lane; undefined for a read that is no act (a GET of presence, of members). */
export function actOf(x: Exchange): Act | undefined {
  const { route, query } = splitPath(x.path);
  const { startMs, endMs } = exchangeTimes(x);
  const refused = x.status === 0 || x.status >= 400;
  const base = { atMs: startMs, endMs, seq: x.seq, status: x.status, refused, setup: x.setup === true };
  const answer = refused ? ` → ${x.status || 'no answer'}` : '';
  if (presencePutOf(x) !== undefined) {
    const presence = (x.requestBody as { presence?: unknown } | undefined)?.presence;
    return { ...base, kind: 'put', label: `PUT ${typeof presence === 'string' ? presence : 'presence'}${answer}` };
  }
  if (isSync(x)) {
    const set = query.get('set_presence') ?? setPresenceInBody(x.requestBody);
    // A device's first sync (no `since`) with the default set_presence connects it: it marks the user online.
    const first = !query.has('since') && !hasPosition(x.requestBody);
    const connects = first && (set === undefined || set === 'online');
    return { ...base, kind: 'sync', label: `${first ? 'first sync' : 'sync'}${set ? ` set_presence=${set}` : ''}${answer}`, ...(connects && !refused ? { connects: true } : {}) };
  }
  if (x.method === 'GET') return undefined;
  for (const [pattern, kind, label] of ROUTES) if (pattern.test(route)) return { ...base, kind, label: `${label}${answer}` };
  return { ...base, kind: 'other', label: `${x.method} ${route.split('/').slice(-2).join('/')}${answer}` };
}

/** Sliding sync carries its position in its body (`pos`) or its query. */
function hasPosition(body: unknown): boolean {
  return typeof (body as { pos?: unknown } | undefined)?.pos === 'string';
}

/** Sliding sync carries set_presence in its body (or its query, read above). */
function setPresenceInBody(body: unknown): string | undefined {
  const set = (body as { set_presence?: unknown } | undefined)?.set_presence;
  return typeof set === 'string' ? set : undefined;
}
