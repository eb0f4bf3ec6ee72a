import AjvModule from 'ajv';
import eventSchema from './presence-event.schema.json' with { type: 'json' };
import getSchema from './presence-get.schema.json' with { type: 'json' };
import type { RequirementId } from '../../requirement-ids.js';

/** The only presence states the 2016 module (and every later spec) allows. */
export const PRESENCE_STATES = ['online', 'unavailable', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** Where a presence payload was seen. */
export type PayloadKind = 'sync-event' | 'get-status';

export interface Finding {
  requirementId: RequirementId;
  message: string;
}

const ajv = new AjvModule.default({ allErrors: true, strict: false });
const validateEvent = ajv.compile(eventSchema);
const validateGet = ajv.compile(getSchema);

/**
 * Checks one presence payload against the invariants that must hold for every
 * payload a server ever sends, whichever test provoked it. `plausibleAgoMs`
 * bounds `last_active_ago`: no user of this run can have been active before
 * the run began. `extensions`: states of unstable features the server
 * advertised in `/versions` (MSC3026's `org.matrix.msc3026.busy`), which a
 * client that checked the flag may set and see: neither the enum nor the
 * schemas' enum of `presence` blames them.
 */
export function checkPresencePayload(kind: PayloadKind, payload: unknown, plausibleAgoMs: number, extensions: ReadonlySet<string> = new Set()): Finding[] {
  const findings: Finding[] = [];
  const content = contentOf(kind, payload);
  const presence = content?.presence;
  const extension = typeof presence === 'string' && extensions.has(presence);

  // A missing `presence` is the schema's finding (it is required), not a value outside the enum.
  const hasPresence = presence !== undefined;
  if (hasPresence && !extension && !PRESENCE_STATES.includes(presence as PresenceState)) {
    findings.push({ requirementId: 'PRES-STATE-ENUM', message: `presence ${JSON.stringify(presence)} is not one of ${PRESENCE_STATES.join(', ')}` });
  }
  if (containsValue(payload, 'free_for_chat')) {
    findings.push({ requirementId: 'PRES-FFC-EMIT', message: 'payload contains "free_for_chat"' });
  }
  if (content?.currently_active === true && hasPresence && presence !== 'online') {
    findings.push({ requirementId: 'PRES-CA-ONLINE-ONLY', message: `currently_active is true while presence is ${JSON.stringify(presence)}` });
  }
  if (content && 'last_active_ago' in content) {
    const ago = content.last_active_ago;
    if (typeof ago !== 'number' || !Number.isInteger(ago) || ago < 0) {
      findings.push({ requirementId: 'PRES-LAA-FORMAT', message: `last_active_ago ${JSON.stringify(ago)} is not a non-negative integer` });
    } else if (ago > plausibleAgoMs) {
      findings.push({ requirementId: 'PRES-LAA-FORMAT', message: `last_active_ago ${ago} ms reaches back before this run began (${plausibleAgoMs} ms ago)` });
    }
  }
  // An advertised extension state is judged by the schemas as if it were in their enum, and nothing else is waived.
  const errors = schemaErrors(kind, extension ? withStablePresence(kind, payload) : payload);
  if (errors.length > 0) {
    findings.push({ requirementId: kind === 'sync-event' ? 'PRES-SCHEMA-EVENT' : 'PRES-SCHEMA-GET', message: `schema: ${errors.join('; ')}` });
  }
  return findings;
}

/**
 * How `payload` departs from its JSON Schema (`m.presence` event for
 * `sync-event`, the GET status body for `get-status`); empty when it conforms.
 */
export function schemaErrors(kind: PayloadKind, payload: unknown): string[] {
  const validate = kind === 'sync-event' ? validateEvent : validateGet;
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

/** A copy of `payload` whose `presence` is a stable state, so the schemas judge everything but the extension's value. */
function withStablePresence(kind: PayloadKind, payload: unknown): unknown {
  const copy = structuredClone(payload) as Record<string, unknown>;
  const content = contentOf(kind, copy);
  if (content) content.presence = 'online';
  return copy;
}

function contentOf(kind: PayloadKind, payload: unknown): Record<string, unknown> | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const object = payload as Record<string, unknown>;
  if (kind === 'get-status') return object;
  const content = object.content;
  return content && typeof content === 'object' ? (content as Record<string, unknown>) : undefined;
}

function containsValue(value: unknown, needle: string): boolean {
  if (value === needle) return true;
  if (Array.isArray(value)) return value.some((v) => containsValue(v, needle));
  if (value && typeof value === 'object') return Object.values(value).some((v) => containsValue(v, needle));
  return false;
}
