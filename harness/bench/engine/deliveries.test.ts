import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../redact.js';
import { DeliveryBook, LEAK_REQUIREMENT, marker, parseMarker } from './deliveries.js';

const ROOMS = [['@a', '@b', '@c'], ['@d', '@e']];
const shares = (x: string, y: string) => x !== y && ROOMS.some((room) => room.includes(x) && room.includes(y));
const event = (sender: string, statusMsg: string, presence = 'unavailable') => ({ type: 'm.presence', sender, content: { presence, status_msg: statusMsg } });

describe('the delivery book', () => {
  it('measures each roommate\'s latency from the change being sent to its /sync showing it', () => {
    const book = new DeliveryBook(0, 1_000, shares);
    book.expect('@a', 1, 10_000, ['@b', '@c']);
    book.observe('@b', [event('@a', marker(0, 1))], 10_120);
    book.observe('@c', [event('@a', marker(0, 1))], 10_300);
    book.observe('@c', [event('@a', marker(0, 1))], 10_900); // seen again: no second sample
    const summary = book.summary();
    expect(summary.latency).toMatchObject({ count: 2, p50: 120, max: 300 });
    expect(summary).toMatchObject({ presenceChanges: 1, missing: 0, late: 0, leakCount: 0 });
  });

  it('counts a delivery past the deadline as late, one never seen as missing, one overtaken by a later change as superseded', () => {
    const book = new DeliveryBook(0, 1_000, shares);
    book.expect('@a', 1, 0, ['@b', '@c']);
    book.expect('@a', 2, 500, ['@b', '@c']);
    book.observe('@b', [event('@a', marker(0, 2))], 2_000); // 1 superseded, 2 late (1500 ms)
    book.observe('@c', [event('@a', marker(0, 1))], 300); // 2 never comes to @c
    const summary = book.summary();
    expect(summary).toMatchObject({ presenceChanges: 2, missing: 1, late: 1, superseded: 1 });
    expect(summary.latency.count).toBe(2);
  });

  it('ignores markers of another step and the observer\'s own presence', () => {
    const book = new DeliveryBook(3, 1_000, shares);
    book.expect('@a', 1, 0, ['@b']);
    book.observe('@b', [event('@a', marker(2, 1))], 100);
    book.observe('@a', [event('@a', marker(3, 1))], 100);
    expect(book.outstanding).toBe(1);
    expect(parseMarker(marker(3, 17), 3)).toBe(17);
    expect(parseMarker('bench 3.x', 3)).toBeUndefined();
  });

  it('counts latency from the attempt the server took when the first was rate-limited', () => {
    const book = new DeliveryBook(0, 1_000, shares);
    book.expect('@a', 1, 0, ['@b']);
    book.resent('@a', 1, 5_000);
    book.observe('@b', [event('@a', marker(0, 1))], 5_200);
    expect(book.summary()).toMatchObject({ late: 0, latency: { count: 1, max: 200 } });
  });

  it('forgets a change whose PUT failed', () => {
    const book = new DeliveryBook(0, 1_000, shares);
    book.expect('@a', 1, 0, ['@b', '@c']);
    book.cancel('@a', 1);
    expect(book.summary()).toMatchObject({ presenceChanges: 0, missing: 0 });
  });

  it('reports presence shown to a user sharing no room with its subject as a leak of PRES-VIS-NONSHARED-SYNC, with redacted evidence', () => {
    registerSecret('s3cret-token-value');
    const book = new DeliveryBook(0, 1_000, shares);
    book.observe('@d', [event('@a', 'online now'), event('@e', 'roommate: fine')], 5_000);
    book.observe('@b', [{ type: 'm.presence', sender: '@e', content: { presence: 'online', status_msg: 'leaked s3cret-token-value' } }], 6_000);
    const { leaks, leakCount } = book.summary();
    expect(leakCount).toBe(2);
    expect(leaks.map((l) => [l.observer, l.subject, l.requirement])).toEqual([['@d', '@a', LEAK_REQUIREMENT], ['@b', '@e', LEAK_REQUIREMENT]]);
    expect(leaks[0]!.evidence).toContain('"status_msg":"online now"');
    expect(leaks[1]!.evidence).not.toContain('s3cret-token-value');
    expect(leaks[0]!.at).toBe(new Date(5_000).toISOString());
  });
});
