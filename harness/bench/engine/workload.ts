/**
 * The bench's workload, drawn from a seed: which users share which rooms,
 * and what each user does when (presence changes, messages, quiet spells).
 * Pure, so that a seed replays the same workload and unit tests can hold
 * it to its bounds.
 */
import { HarnessError } from '../../errors.js';

/** A seeded generator of uniform numbers in [0, 1) (mulberry32: small, fast, good enough for a workload). */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** One size of the room size distribution and its weight. */
export interface RoomSize {
  size: number;
  weight: number;
}

/** Parses `--room-sizes` ("2:0.5,5:0.3,20:0.2": size:weight, comma-separated). */
export function parseRoomSizes(text: string): RoomSize[] {
  const sizes = text.split(',').map((part) => {
    const [size, weight] = part.split(':').map((v) => Number(v.trim()));
    if (!Number.isInteger(size) || size! < 2 || !Number.isFinite(weight) || weight! <= 0) {
      throw new HarnessError(`--room-sizes needs size:weight pairs (size a whole number >= 2, weight > 0), e.g. 2:0.5,5:0.3,20:0.2; got ${JSON.stringify(part)}`);
    }
    return { size: size!, weight: weight! };
  });
  if (sizes.length === 0) throw new HarnessError('--room-sizes is empty');
  return sizes;
}

function drawSize(random: Random, sizes: readonly RoomSize[]): number {
  const total = sizes.reduce((sum, s) => sum + s.weight, 0);
  let pick = random() * total;
  for (const s of sizes) {
    pick -= s.weight;
    if (pick < 0) return s.size;
  }
  return sizes[sizes.length - 1]!.size;
}

/**
 * Users fall into clusters of contiguous indices, and rooms draw their
 * members from one cluster only: users of different clusters share no room,
 * so every step has pairs a leak would show up between. Blocks of up to
 * `CLUSTER_SIZE` users, at least two clusters: with the usual steps
 * (10, 50, 100, 200) a smaller step's clusters lie inside a larger step's.
 */
export const CLUSTER_SIZE = 50;

export function clusterOf(user: number, users: number): number {
  const clusters = Math.max(2, Math.ceil(users / CLUSTER_SIZE));
  return Math.floor((user * clusters) / users);
}

/** How many rooms, on average, each user is a member of. */
export const ROOMS_PER_USER = 2;

/**
 * The rooms of a step of `users` users: each a list of user indices (the
 * first creates it), sizes drawn from `sizes` (capped at the cluster's size),
 * members from one cluster; every user is in at least one room.
 */
export function planRooms(seed: number, users: number, sizes: readonly RoomSize[]): number[][] {
  if (users < 4) throw new HarnessError(`the bench needs at least 4 users per step (two clusters of two), got ${users}`);
  const random = seededRandom(seed ^ (users * 0x9e3779b1));
  const clusters: number[][] = [];
  for (let u = 0; u < users; u++) (clusters[clusterOf(u, users)] ??= []).push(u);
  const rooms: number[][] = [];
  for (const members of clusters) {
    let memberships = 0;
    while (memberships < members.length * ROOMS_PER_USER) {
      const size = Math.min(drawSize(random, sizes), members.length);
      const room = shuffled(random, members).slice(0, size);
      rooms.push(room);
      memberships += size;
    }
    for (const user of members) {
      if (rooms.some((room) => room.includes(user))) continue;
      const other = members.find((m) => m !== user)!;
      rooms.push([user, other]);
    }
  }
  return rooms;
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Who shares a room with whom: the union over every room given (users stay in earlier steps' rooms). */
export class Sharing {
  private readonly pairs = new Set<string>();

  add(rooms: readonly (readonly string[])[]): void {
    for (const room of rooms) for (const a of room) for (const b of room) if (a !== b) this.pairs.add(`${a}\u0000${b}`);
  }

  shares(a: string, b: string): boolean {
    return this.pairs.has(`${a}\u0000${b}`);
  }
}

/** What a user does at `atMs` after the measured phase began. */
export type Action = { atMs: number; kind: 'presence'; state: 'online' | 'unavailable' } | { atMs: number; kind: 'message'; room: number };

export interface Rates {
  /** Per user per minute. */
  presenceChangesPerMinute: number;
  messagesPerMinute: number;
  quietSpellsPerMinute: number;
  quietSpellMs: number;
}

/**
 * A user's own presence changes are at least this far apart: Synapse's
 * default presence rate limit (`rc_presence`: 0.1/s per user) would
 * otherwise refuse them (429s are waited out and counted, but a workload
 * drawn to meet them measures the limit, not the delivery).
 */
export const MIN_PRESENCE_GAP_MS = 12_000;

/**
 * What user `user` (a member of `rooms`, indices into the step's rooms)
 * does over `durationMs`: events of a Poisson process at the summed rates,
 * none inside a quiet spell, presence changes alternating between
 * unavailable and online (the user starts online) and `MIN_PRESENCE_GAP_MS`
 * apart. Sorted by time, all within [0, durationMs).
 */
export function planActions(seed: number, user: number, rooms: readonly number[], durationMs: number, rates: Rates): Action[] {
  const random = seededRandom(seed ^ Math.imul(user + 1, 0x85ebca6b));
  const perMs = (perMinute: number) => perMinute / 60_000;
  const total = perMs(rates.presenceChangesPerMinute) + perMs(rates.messagesPerMinute) + perMs(rates.quietSpellsPerMinute);
  const actions: Action[] = [];
  if (total <= 0) return actions;
  let state: 'online' | 'unavailable' = 'online';
  let lastPresence = -Infinity;
  for (let at = exponential(random, total); at < durationMs; at += exponential(random, total)) {
    const pick = random() * total;
    if (pick < perMs(rates.presenceChangesPerMinute)) {
      if (at - lastPresence < MIN_PRESENCE_GAP_MS) continue;
      state = state === 'online' ? 'unavailable' : 'online';
      lastPresence = at;
      actions.push({ atMs: Math.floor(at), kind: 'presence', state });
    } else if (pick < perMs(rates.presenceChangesPerMinute) + perMs(rates.messagesPerMinute)) {
      if (rooms.length === 0) continue;
      actions.push({ atMs: Math.floor(at), kind: 'message', room: rooms[Math.floor(random() * rooms.length)]! });
    } else {
      at += rates.quietSpellMs; // a quiet spell: the client syncs on, doing nothing
    }
  }
  return actions;
}

function exponential(random: Random, ratePerMs: number): number {
  return -Math.log(1 - random()) / ratePerMs;
}
