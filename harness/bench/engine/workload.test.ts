import { describe, expect, it } from 'vitest';
import { MIN_PRESENCE_GAP_MS, Sharing, clusterOf, parseRoomSizes, planActions, planRooms, seededRandom, type Rates } from './workload.js';

const SIZES = parseRoomSizes('2:0.5,5:0.3,20:0.2');
const RATES: Rates = { presenceChangesPerMinute: 4, messagesPerMinute: 2, quietSpellsPerMinute: 1, quietSpellMs: 20_000 };

describe('the workload generator', () => {
  it('replays the same workload from the same seed, and another from another seed', () => {
    expect(planRooms(7, 50, SIZES)).toEqual(planRooms(7, 50, SIZES));
    expect(planRooms(7, 50, SIZES)).not.toEqual(planRooms(8, 50, SIZES));
    expect(planActions(7, 3, [0, 1], 600_000, RATES)).toEqual(planActions(7, 3, [0, 1], 600_000, RATES));
    expect(planActions(7, 3, [0, 1], 600_000, RATES)).not.toEqual(planActions(8, 3, [0, 1], 600_000, RATES));
    const random = seededRandom(1);
    const draws = Array.from({ length: 1000 }, random);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('puts every user in a room, rooms within one cluster and within the drawn sizes, leaving pairs that share no room', () => {
    for (const users of [4, 10, 50, 100, 200]) {
      const rooms = planRooms(3, users, SIZES);
      for (let u = 0; u < users; u++) expect(rooms.some((room) => room.includes(u))).toBe(true);
      for (const room of rooms) {
        expect(new Set(room).size).toBe(room.length);
        expect(room.length).toBeGreaterThanOrEqual(2);
        expect(room.length).toBeLessThanOrEqual(20);
        expect(room.every((u) => u >= 0 && u < users)).toBe(true);
        expect(new Set(room.map((u) => clusterOf(u, users))).size).toBe(1);
      }
      const sharing = new Sharing();
      sharing.add(rooms.map((room) => room.map(String)));
      expect(sharing.shares('0', String(users - 1))).toBe(false);
    }
  });

  it("nests a smaller step's clusters inside a larger step's (users reused across steps share no room across clusters)", () => {
    const steps = [10, 50, 100, 200];
    for (const [i, small] of steps.entries()) {
      for (const large of steps.slice(i + 1)) {
        for (let a = 0; a < small; a++) for (let b = 0; b < small; b++) {
          if (clusterOf(a, small) === clusterOf(b, small)) expect(clusterOf(a, large)).toBe(clusterOf(b, large));
        }
      }
    }
  });

  it('keeps actions within the phase, out of quiet spells, presence changes alternating and apart, messages into the user\'s rooms', () => {
    const durationMs = 3_600_000;
    const actions = planActions(11, 5, [2, 9], durationMs, RATES);
    expect(actions.length).toBeGreaterThan(50);
    expect(actions.every((a) => a.atMs >= 0 && a.atMs < durationMs)).toBe(true);
    expect(actions.map((a) => a.atMs)).toEqual([...actions.map((a) => a.atMs)].sort((x, y) => x - y));
    const presence = actions.filter((a) => a.kind === 'presence');
    presence.forEach((a, i) => {
      expect(a.state).toBe(i % 2 === 0 ? 'unavailable' : 'online');
      if (i > 0) expect(a.atMs - presence[i - 1]!.atMs).toBeGreaterThanOrEqual(MIN_PRESENCE_GAP_MS - 1);
    });
    for (const a of actions) if (a.kind === 'message') expect([2, 9]).toContain(a.room);
    // Bounded: no more changes than the rate allows over the phase (with the gap), nor messages far beyond their rate.
    expect(presence.length).toBeLessThanOrEqual(durationMs / MIN_PRESENCE_GAP_MS);
    expect(actions.filter((a) => a.kind === 'message').length).toBeLessThan(2 * RATES.messagesPerMinute * 60);
  });

  it('makes no action at zero rates, and no message for a user in no room', () => {
    expect(planActions(1, 0, [0], 600_000, { presenceChangesPerMinute: 0, messagesPerMinute: 0, quietSpellsPerMinute: 0, quietSpellMs: 0 })).toEqual([]);
    expect(planActions(1, 0, [], 600_000, RATES).some((a) => a.kind === 'message')).toBe(false);
  });

  it('refuses room sizes it cannot use, with a one-line cause', () => {
    expect(() => parseRoomSizes('1:0.5')).toThrow(/size:weight/);
    expect(() => parseRoomSizes('2:x')).toThrow(/size:weight/);
    expect(parseRoomSizes('2:1,30:2')).toEqual([{ size: 2, weight: 1 }, { size: 30, weight: 2 }]);
  });
});
