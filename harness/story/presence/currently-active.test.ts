import { describe, expect, it } from 'vitest';
import type { PresenceContent, ReceivedPresence } from '../client/matrix-user.js';
import { lastActiveOnlyUpdates } from './currently-active.js';

let seq = 0;
const update = (receivedAt: number, content: PresenceContent): ReceivedPresence => ({
  event: { sender: '@alice:hs', type: 'm.presence', content },
  requestedAt: receivedAt,
  receivedAt,
  exchangeSeq: ++seq,
});

describe('lastActiveOnlyUpdates', () => {
  it('flags a currently_active update that only moves the last active time', () => {
    const stream = [
      update(10_000, { presence: 'online', currently_active: true, last_active_ago: 0 }),
      update(15_000, { presence: 'online', currently_active: true, last_active_ago: 100 }),
    ];
    expect(lastActiveOnlyUpdates(stream, 1_000)).toHaveLength(1);
  });

  it('accepts a repeat that does not move it, and updates after currently_active: false', () => {
    const stream = [
      update(10_000, { presence: 'online', currently_active: true, last_active_ago: 0 }),
      update(12_000, { presence: 'online', currently_active: true, last_active_ago: 2_000 }),
      update(14_000, { presence: 'online', currently_active: false, last_active_ago: 4_000 }),
      update(20_000, { presence: 'online', currently_active: true, last_active_ago: 0 }),
    ];
    expect(lastActiveOnlyUpdates(stream, 1_000)).toEqual([]);
  });

  it('accepts updates that change the state or the status message', () => {
    const stream = [
      update(10_000, { presence: 'online', currently_active: true, last_active_ago: 0 }),
      update(15_000, { presence: 'online', currently_active: true, last_active_ago: 0, status_msg: 'lunch' }),
      update(20_000, { presence: 'unavailable', last_active_ago: 5_000, status_msg: 'lunch' }),
      update(25_000, { presence: 'online', currently_active: true, last_active_ago: 0, status_msg: 'lunch' }),
    ];
    expect(lastActiveOnlyUpdates(stream, 1_000)).toEqual([]);
  });
});
