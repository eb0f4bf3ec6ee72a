import type { Exchange } from '../../story/client/recorder.js';
import { exchangeTimes, isSync, presenceGetOf } from './acts.js';
import type { Observation } from './model.js';

/** A reading of `userId`'s presence in one exchange. */
export interface Reading extends Observation {
  userId: string;
}

/** The presence content of a GET or an event, as a reading (undefined when it names no state). */
function reading(userId: string, content: unknown, via: Observation['via'], atMs: number, seq: number): Reading | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  const c = content as { presence?: unknown; currently_active?: unknown; last_active_ago?: unknown };
  if (typeof c.presence !== 'string') return undefined;
  return {
    userId, atMs, via, seq, state: c.presence,
    ...(typeof c.currently_active === 'boolean' ? { currentlyActive: c.currently_active } : {}),
    ...(typeof c.last_active_ago === 'number' ? { lastActiveAgo: c.last_active_ago } : {}),
  };
}

/** The m.presence events of a sync response (/v3/sync's `presence`, sliding sync's `extensions.presence`). */
function presenceEvents(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { presence?: { events?: unknown }; extensions?: { presence?: { events?: unknown } } };
  const events = [b.presence?.events, b.extensions?.presence?.events].flatMap((e) => (Array.isArray(e) ? e : []));
  return events.filter((e) => (e as { type?: unknown } | null)?.type === 'm.presence');
}

/** Whether a response body was cut for the evidence (harness/story/client/recorder.ts: bounded), so its events cannot be read. */
export function truncated(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { truncated?: unknown }).truncated === true;
}

/**
 * Every reading of someone's presence an exchange gave its actor, as of the
 * moment its answer arrived: a GET of a user's status, the m.presence events
 * of a sync.
 */
export function readingsOf(x: Exchange): Reading[] {
  if (x.status < 200 || x.status >= 300) return [];
  const { endMs } = exchangeTimes(x);
  const of = presenceGetOf(x);
  if (of !== undefined) return [reading(of, x.responseBody, 'get', endMs, x.seq)].filter((r): r is Reading => r !== undefined);
  if (!isSync(x)) return [];
  return presenceEvents(x.responseBody)
    .map((e) => reading(String((e as { sender?: unknown }).sender), (e as { content?: unknown }).content, 'sync', endMs, x.seq))
    .filter((r): r is Reading => r !== undefined);
}

/** A federation transaction's m.presence push items (the recording proxy's record, kept as an exchange). */
export function eduReadings(x: Exchange): Reading[] {
  const { startMs } = exchangeTimes(x);
  const edus = (x.requestBody as { edus?: unknown } | undefined)?.edus;
  if (!Array.isArray(edus)) return [];
  return edus
    .filter((edu) => (edu as { edu_type?: unknown } | null)?.edu_type === 'm.presence')
    .flatMap((edu) => {
      const push = (edu as { content?: { push?: unknown } }).content?.push;
      return Array.isArray(push) ? push : [];
    })
    .map((item) => reading(String((item as { user_id?: unknown } | null)?.user_id), item, 'edu', startMs, x.seq))
    .filter((r): r is Reading => r !== undefined);
}

/** The actor of a federation transaction's exchange (harness/story/federation/record.ts): `federation <origin> -> <destination>`. */
export function isLink(actor: string): boolean {
  return actor.startsWith('federation ');
}
