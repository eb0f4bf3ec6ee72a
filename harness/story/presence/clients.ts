import type { MatrixUser, SetPresence } from '../client/matrix-user.js';

/**
 * How the user whose presence a story is about uses the server. Stories run
 * with each: servers take different paths for a brand-new user who never
 * synced and for one whose client synced first and stays connected (Dendrite
 * v0.13.8, for one, tracks presence from /sync per user it has seen syncing).
 */
export interface ClientKind {
  /** For test names (at most 40 characters: vitest cuts longer parameters): "a fresh client that never synced". */
  readonly name: string;
  /** Devices that sync before the story and keep a sync loop through it (0: none, the minimal client). */
  readonly devices: 0 | 1 | 2;
}

/** The minimal client (never syncs) and the realistic one (synced first, two devices, each with a sync loop). */
export const CLIENT_KINDS: readonly ClientKind[] = [
  { name: 'a fresh client that never synced', devices: 0 },
  { name: 'two devices that sync throughout', devices: 2 },
];

/** The realistic kind alone, for stories whose minimal variant is a test of its own. */
export const SYNCING_CLIENT: ClientKind = CLIENT_KINDS[1]!;

/**
 * For stories about /sync itself, where a loop would be the thing under test:
 * the minimal client, and one that synced first (then stopped). One device
 * only: a second device's own presence would decide the user's (servers
 * combine devices, the most online wins), which is not what these
 * requirements speak of. Use `connectClient` alone with these.
 */
export const SYNCED_FIRST_KINDS: readonly ClientKind[] = [CLIENT_KINDS[0]!, { name: 'a client that synced first', devices: 1 }];

/**
 * Connects `user` the way `kind` says: each of its devices (the user itself
 * and, for two, a second login) does a first /sync with `setPresence` — as a
 * real client does before anything else. Resolves to the devices; none for
 * the minimal client.
 */
export async function connectClient(kind: ClientKind, user: MatrixUser, setPresence?: SetPresence): Promise<MatrixUser[]> {
  if (kind.devices === 0) return [];
  const devices = kind.devices === 2 ? [user, await user.loginDevice()] : [user];
  for (const device of devices) await device.sync({ setPresence, initial: true });
  return devices;
}

/**
 * Runs `story` while every device keeps long-polling /sync (polls of
 * `pollMs`, with `setPresence`): a connected client's sync loop. With no
 * devices (the minimal client) it just runs `story`.
 */
export function whileConnected<T>(devices: MatrixUser[], options: { setPresence?: SetPresence; pollMs: number }, story: () => Promise<T>): Promise<T> {
  return devices.reduceRight<() => Promise<T>>((inner, device) => () => device.whileSyncing(options, inner), story)();
}
