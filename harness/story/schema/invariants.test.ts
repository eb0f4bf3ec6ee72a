import { describe, expect, it } from 'vitest';
import { checkPresencePayload } from './invariants.js';

const ids = (kind: 'sync-event' | 'get-status', payload: unknown) => checkPresencePayload(kind, payload, 60_000).map((f) => f.requirementId).sort();
const event = (content: Record<string, unknown>) => ({ type: 'm.presence', sender: '@alice:hs', content });

describe('presence payload invariants', () => {
  it('accepts well-formed payloads', () => {
    expect(ids('sync-event', event({ presence: 'online', last_active_ago: 12, currently_active: true, status_msg: 'hi' }))).toEqual([]);
    expect(ids('get-status', { presence: 'offline', status_msg: null })).toEqual([]);
  });

  it('flags free_for_chat as an enum, emission and schema violation', () => {
    expect(ids('sync-event', event({ presence: 'free_for_chat' }))).toEqual(['PRES-FFC-EMIT', 'PRES-SCHEMA-EVENT', 'PRES-STATE-ENUM']);
    expect(ids('get-status', { presence: 'free_for_chat' })).toEqual(['PRES-FFC-EMIT', 'PRES-SCHEMA-GET', 'PRES-STATE-ENUM']);
  });

  it("takes an advertised extension's state (MSC3026 busy) as no enum or schema breach, and still judges the rest of the payload", () => {
    const busy = new Set(['org.matrix.msc3026.busy']);
    const with_ = (kind: 'sync-event' | 'get-status', payload: unknown) => checkPresencePayload(kind, payload, 60_000, busy).map((f) => f.requirementId).sort();
    expect(with_('sync-event', event({ presence: 'org.matrix.msc3026.busy', last_active_ago: 5, status_msg: 'call' }))).toEqual([]);
    expect(with_('get-status', { presence: 'org.matrix.msc3026.busy', status_msg: 'call' })).toEqual([]);
    // Not advertised: the same payload breaks the enum and the schema.
    expect(ids('get-status', { presence: 'org.matrix.msc3026.busy' })).toEqual(['PRES-SCHEMA-GET', 'PRES-STATE-ENUM']);
    // Only the named value is waived, and only the enum: a bad field beside it is still the schema's finding.
    expect(with_('get-status', { presence: 'org.matrix.busy' })).toEqual(['PRES-SCHEMA-GET', 'PRES-STATE-ENUM']);
    expect(with_('get-status', { presence: 'org.matrix.msc3026.busy', status_msg: 7 })).toEqual(['PRES-SCHEMA-GET']);
    expect(with_('get-status', { presence: 'org.matrix.msc3026.busy', currently_active: true })).toEqual(['PRES-CA-ONLINE-ONLY']);
  });

  it('flags currently_active on a non-online state', () => {
    expect(ids('get-status', { presence: 'unavailable', currently_active: true })).toEqual(['PRES-CA-ONLINE-ONLY']);
  });

  it('blames a missing presence on the schema alone: no enum value, no state to judge currently_active by', () => {
    expect(ids('sync-event', event({ currently_active: true, last_active_ago: 5 }))).toEqual(['PRES-SCHEMA-EVENT']);
    expect(ids('get-status', { currently_active: true })).toEqual(['PRES-SCHEMA-GET']);
  });

  it('flags a negative, fractional or implausibly old last_active_ago', () => {
    expect(ids('get-status', { presence: 'online', last_active_ago: -1 })).toContain('PRES-LAA-FORMAT');
    expect(ids('sync-event', event({ presence: 'online', last_active_ago: 1.5 }))).toEqual(['PRES-LAA-FORMAT']);
    expect(ids('get-status', { presence: 'online', last_active_ago: 3_600_000 })).toEqual(['PRES-LAA-FORMAT']);
  });

  it('flags a malformed event: missing sender, content.presence, or a wrong type', () => {
    expect(ids('sync-event', { type: 'm.presence', content: { presence: 'online' } })).toEqual(['PRES-SCHEMA-EVENT']);
    expect(ids('sync-event', { type: 'm.presence', sender: '@a:hs', content: {} })).toEqual(['PRES-SCHEMA-EVENT']);
    expect(ids('sync-event', { ...event({ presence: 'online' }), type: 'm.typing' })).toEqual(['PRES-SCHEMA-EVENT']);
    expect(ids('get-status', { presence: 'online', currently_active: 'yes' })).toEqual(['PRES-SCHEMA-GET']);
  });
});
