import { expect } from 'vitest';
import { PRESENCE_STATES, payloadsShown, requirePair, requirement, schemaErrors, showAfterMalformed, type InboundCase, type ShownPayload } from '../../harness/story/index.js';

// What a receiving server shows its own users from a peer's m.presence EDU
// is a payload of the receiver, judged by the client requirements: the peer
// (here the harness, in the peer's name) sends values the EDU schema does
// not allow; dropping them conforms, showing them does not.

const withState = (presence: unknown, name = `presence: ${JSON.stringify(presence)}`): InboundCase => ({
  name,
  item: (userId, status) => ({ user_id: userId, presence, status_msg: status, last_active_ago: 1_000, currently_active: false }),
});
const withField = (key: string, value: unknown, name = `${key}: ${JSON.stringify(value)}`): InboundCase => ({
  name,
  item: (userId, status) => ({ user_id: userId, presence: 'unavailable', status_msg: status, last_active_ago: 1_000, currently_active: false, [key]: value }),
});
const without = (key: string): InboundCase => ({
  name: `no ${key}`,
  item: (userId, status) => {
    const item: Record<string, unknown> = { user_id: userId, presence: 'unavailable', status_msg: status, last_active_ago: 1_000, currently_active: false };
    delete item[key];
    return item;
  },
});

/** Wrong types and an oversized status message: the EDU schema's types, which the client schemas share. */
const WRONG_TYPES: readonly InboundCase[] = [
  withField('status_msg', {}),
  withField('currently_active', 'yes'),
  withField('last_active_ago', '10'),
  without('presence'),
  withField('status_msg', 'x'.repeat(100_000), 'status_msg of 100 000 characters'),
];

/** Fails naming each payload bob was shown that has `problem`, with the EDU that preceded it. */
function expectNone(payloads: readonly ShownPayload[], problem: (p: ShownPayload) => string | undefined): void {
  const found = payloads.flatMap((p) => {
    const what = problem(p);
    return what ? [`${what}: ${p.evidence}`] : [];
  });
  expect(found, `${found.length} payload(s) shown:\n${found.join('\n')}`).toEqual([]);
}

requirement('PRES-STATE-ENUM', ({ test }) => {
  test("after EDUs from the other server with states outside the enum, what bob is shown of alice (there), over /sync and GET, is in the enum", async ({ server, skip }) => {
    requirePair(server, skip);
    const shown = payloadsShown(await showAfterMalformed(server, [withState('busy'), withState(5), withState('Online')]));
    // A missing presence is PRES-SCHEMA-EVENT's finding; a value given must be in the enum.
    expectNone(shown, (p) => (p.content.presence !== undefined && !(PRESENCE_STATES as readonly unknown[]).includes(p.content.presence) ? `presence ${JSON.stringify(p.content.presence)}` : undefined));
  });
});

requirement('PRES-FFC-EMIT', ({ test }) => {
  test("after an EDU from the other server saying free_for_chat, bob never sees free_for_chat for alice (there)", async ({ server, skip }) => {
    requirePair(server, skip);
    const shown = payloadsShown(await showAfterMalformed(server, [withState('free_for_chat')]));
    expectNone(shown, (p) => (JSON.stringify(p.payload).includes('free_for_chat') ? 'free_for_chat shown' : undefined));
  });
});

requirement('PRES-SCHEMA-EVENT', ({ test }) => {
  test("after EDUs from the other server with wrong types, every m.presence event bob receives about alice (there) matches the event schema", async ({ server, skip }) => {
    requirePair(server, skip);
    const shown = payloadsShown(await showAfterMalformed(server, WRONG_TYPES)).filter((p) => p.via === 'sync');
    expectNone(shown, (p) => schemaErrors('sync-event', p.payload).join('; ') || undefined);
  });
});

requirement('PRES-SCHEMA-GET', ({ test }) => {
  test("after EDUs from the other server with wrong types, bob's GET of alice's (there) status matches the response schema", async ({ server, skip }) => {
    requirePair(server, skip);
    const shown = payloadsShown(await showAfterMalformed(server, WRONG_TYPES)).filter((p) => p.via === 'get');
    expectNone(shown, (p) => schemaErrors('get-status', p.payload).join('; ') || undefined);
  });
});

requirement('PRES-LAA-FORMAT', ({ test }) => {
  test("after EDUs from the other server with a negative, fractional, textual or missing last_active_ago, what bob is shown of alice (there) is a non-negative integer", async ({ server, skip }) => {
    requirePair(server, skip);
    const cases = [withField('last_active_ago', -60_000), withField('last_active_ago', 1.5), withField('last_active_ago', '10'), without('last_active_ago')];
    const shown = payloadsShown(await showAfterMalformed(server, cases));
    // The field itself is optional; a value given must be a non-negative integer.
    expectNone(shown, (p) => {
      if (!('last_active_ago' in p.content)) return undefined;
      const ago = p.content.last_active_ago;
      return typeof ago === 'number' && Number.isInteger(ago) && ago >= 0 ? undefined : `last_active_ago ${JSON.stringify(ago)}`;
    });
  });
});

requirement('PRES-CA-ONLINE-ONLY', ({ test }) => {
  test("after EDUs from the other server saying currently_active while unavailable or offline, bob never sees currently_active: true for alice (there) unless online", async ({ server, skip }) => {
    requirePair(server, skip);
    const cases = ['unavailable', 'offline'].map((presence): InboundCase => ({
      name: `presence: "${presence}" with currently_active: true`,
      item: (userId, status) => ({ user_id: userId, presence, status_msg: status, last_active_ago: 1_000, currently_active: true }),
    }));
    const shown = payloadsShown(await showAfterMalformed(server, cases));
    expectNone(shown, (p) => (p.content.currently_active === true && p.content.presence !== 'online' ? `currently_active: true with presence ${JSON.stringify(p.content.presence)}` : undefined));
  });
});
