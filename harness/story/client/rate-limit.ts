/**
 * Rate limits (429 / `M_LIMIT_EXCEEDED`) are facts of real servers, never
 * presence failures: every step waits them out as the server advises, within
 * the story's wait budget (`--max-wait`). A story whose step would have to
 * wait longer is not checked, "rate-limited: <which limit, retry after N s>"
 * (harness/story/budget.ts), never failed.
 */

/** One rate-limited answer: which limit, and how long the server asked to wait. */
export interface RateLimitHit {
  /** The limit's name: method, path with IDs as placeholders, errcode (e.g. `POST /_matrix/client/v3/login (M_LIMIT_EXCEEDED)`). */
  limit: string;
  retryAfterMs: number;
}

/** Decides whether a story may wait out a rate limit; skips the story (throws) when it may not. */
export interface RateLimitWaits {
  admitRateLimitWait(hit: RateLimitHit): void;
}

/** Used when the server advises no wait: a second, then more for each further 429 in a row. */
const FALLBACK_WAIT_MS = 1_000;

/** What a reply needs for this module: status, body, and the `Retry-After` header when sent. */
export interface LimitedReply {
  status: number;
  body: unknown;
  retryAfter?: string;
}

/** Whether an answer is a rate limit: 429, or any status with errcode `M_LIMIT_EXCEEDED`. */
export function isRateLimited(reply: LimitedReply): boolean {
  return reply.status === 429 || errcodeOf(reply.body) === 'M_LIMIT_EXCEEDED';
}

/**
 * The rate limit a reply reports: `retry_after_ms` from the body, else the
 * `Retry-After` header (seconds), else a growing fallback (`attempt` counts
 * the 429s in a row, from 0).
 */
export function rateLimitOf(method: string, path: string, reply: LimitedReply, attempt = 0): RateLimitHit {
  const advised = Number((reply.body as { retry_after_ms?: unknown } | undefined)?.retry_after_ms);
  const header = reply.retryAfter === undefined ? NaN : Number(reply.retryAfter) * 1000;
  const retryAfterMs = Number.isFinite(advised) && advised >= 0 ? advised : Number.isFinite(header) && header >= 0 ? header : FALLBACK_WAIT_MS * (attempt + 1);
  return { limit: limitName(method, path, errcodeOf(reply.body) ?? String(reply.status)), retryAfterMs: Math.ceil(retryAfterMs) };
}

/**
 * A limit's name, the same for every story that meets it: the query is
 * dropped and path segments naming a user, room or device become
 * placeholders, so the console prints a shared cause once.
 */
export function limitName(method: string, path: string, errcode: string): string {
  const bare = path.split('?')[0]!;
  const segments = bare.split('/');
  const shape = segments
    .map((segment, i) => {
      const text = safeDecode(segment);
      if (text.startsWith('@')) return '{userId}';
      if (text.startsWith('!')) return '{roomId}';
      // rooms/{roomId}/send/{eventType}/{txnId}: a transaction ID is new for every message.
      if (segments[i - 2] === 'send') return '{txnId}';
      return segment;
    })
    .join('/');
  return `${method} ${shape} (${errcode})`;
}

/** The skip reason of a story that could not wait a rate limit out. */
export function rateLimitedReason(hit: RateLimitHit): string {
  return `rate-limited: ${hit.limit}, retry after ${Math.ceil(hit.retryAfterMs / 1000)} s`;
}

function errcodeOf(body: unknown): string | undefined {
  const errcode = (body as { errcode?: unknown } | undefined)?.errcode;
  return typeof errcode === 'string' ? errcode : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
