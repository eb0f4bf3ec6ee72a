import { exchangesNamedIn, type Exchange, type Violation } from '../story/client/recorder.js';
import { BUSY, BUSY_FLAG } from '../story/presence/busy.js';
import { checkPresencePayload, PRESENCE_STATES, type PayloadKind } from '../story/schema/invariants.js';
import type { FailureCause } from './model.js';

/**
 * What a failing test rests on, derived from the evidence the run already
 * records, so that no story tags its failures and no list of requirement IDs
 * per cause is kept by hand: a new story whose failure names the same
 * exchange or payload joins its group by itself.
 *
 * One kind so far, the one that spreads over many requirements: a presence
 * value outside the enum (tuwunel's accepted `free_for_chat` fails the enum,
 * the free_for_chat requirements and both schemas; Dendrite's `""` the enum
 * and the GET schema). A failure rests on such a value when
 * - (a payload entry, `payloadEntry`) every violation of the requirement it
 *   stands for disappears whichever valid state replaces the payload's
 *   presence (so `currently_active` beside `unavailable` never does);
 * - (the test's own failure) an exchange its message names (`describeExchange`,
 *   the evidence of its assertion) set the value and got a 2xx answer, or
 *   gave it in a GET body, or carried a payload whose violation rests on it;
 *   a message naming no exchange falls back on the test's own violations of
 *   its requirement, as above.
 * Exactly one value must come out, else the failure has no derived cause.
 * Where it came from is part of the cause (`seen`): a value a client of the
 * test set and the server took is not the same fault as one the server
 * passed on from another server's EDU (Synapse behind a federating pair) or
 * made up (Dendrite's `""`).
 * States of an unstable feature the server advertised in the test's own
 * `/versions` exchange (MSC3026's busy) are not outside the enum.
 */
export function failureCause(
  requirementId: string,
  entry: { message?: string; payloadEntry: boolean },
  evidence: { exchanges: readonly Exchange[]; violations: readonly Violation[] } | undefined,
): FailureCause | undefined {
  if (!evidence) return undefined;
  const own = evidence.violations.filter((v) => v.requirementId === requirementId);
  const named = entry.payloadEntry ? [] : exchangesNamedIn(entry.message ?? '');
  let values: unknown[];
  if (named.length === 0) {
    values = own.map(offendingValue);
    if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
  } else {
    const extensions = advertisedStates(evidence.exchanges);
    values = named.flatMap((seq) => {
      const exchange = evidence.exchanges.find((x) => x.seq === seq);
      const carried = evidence.violations.filter((v) => v.exchangeSeq === seq).map(offendingValue);
      return [...(exchange ? [...acceptedValues(exchange), ...givenValues(exchange)] : []), ...carried].filter((v) => v !== undefined && !extensions.has(v));
    });
  }
  const distinct = new Set(values.map((v) => JSON.stringify(v)));
  if (distinct.size !== 1) return undefined;
  const value = [...distinct][0]!;
  // Where the value came from: a client of this test that set it (the server took it), or not (federation, the server's own making).
  const accepted = evidence.exchanges.some((x) => acceptedValues(x).some((v) => JSON.stringify(v) === value));
  return { kind: 'presence-outside-enum', value, seen: accepted ? 'accepted' : 'given' };
}

/** The presence value outside the enum that violation `v` rests on, if it does (see `failureCause`). */
function offendingValue(v: Violation): unknown {
  const kind: PayloadKind = contentOf('sync-event', v.payload) ? 'sync-event' : 'get-status';
  const content = contentOf(kind, v.payload);
  if (!content || !('presence' in content) || isState(content.presence)) return undefined;
  // Infinity: a finding that needs the run's start (a last_active_ago older than the run) is not reproduced, so never blamed on the value.
  const breaks = (payload: unknown) => checkPresencePayload(kind, payload, Number.POSITIVE_INFINITY).some((f) => f.requirementId === v.requirementId);
  if (!breaks(v.payload)) return undefined;
  return PRESENCE_STATES.every((state) => !breaks(withPresence(kind, v.payload, state))) ? content.presence : undefined;
}

/** Values outside the enum a client request set and the server took (2xx): a PUT body's `presence`, a sync's `set_presence`. */
function acceptedValues(x: Exchange): unknown[] {
  if (x.status < 200 || x.status >= 300) return [];
  const found: unknown[] = [];
  const body = x.requestBody;
  if (x.method === 'PUT' && isObject(body) && 'presence' in body && !isState(body.presence)) found.push(body.presence);
  const set = x.path.includes('?') ? new URLSearchParams(x.path.slice(x.path.indexOf('?') + 1)).get('set_presence') : null;
  if (set !== null && !isState(set)) found.push(set);
  return found;
}

/** A value outside the enum a GET status body gave. */
function givenValues(x: Exchange): unknown[] {
  const body = x.responseBody;
  const status = x.method === 'GET' && x.status === 200 && /\/presence\/[^/?]+\/status$/.test(x.path);
  return status && isObject(body) && 'presence' in body && !isState(body.presence) ? [body.presence] : [];
}

/** States of unstable features a `/versions` answer of the test advertised (MSC3026's busy). */
function advertisedStates(exchanges: readonly Exchange[]): Set<unknown> {
  const advertised = exchanges.some((x) => {
    const body = x.responseBody;
    const features = isObject(body) ? body.unstable_features : undefined;
    return x.path.endsWith('/versions') && isObject(features) && features[BUSY_FLAG] === true;
  });
  return new Set(advertised ? [BUSY] : []);
}

function isState(value: unknown): boolean {
  return (PRESENCE_STATES as readonly unknown[]).includes(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function contentOf(kind: PayloadKind, payload: unknown): Record<string, unknown> | undefined {
  if (!isObject(payload)) return undefined;
  if (kind === 'get-status') return payload;
  return isObject(payload.content) ? payload.content : undefined;
}

function withPresence(kind: PayloadKind, payload: unknown, state: string): unknown {
  const copy = structuredClone(payload);
  const content = contentOf(kind, copy);
  if (content) content.presence = state;
  return copy;
}
