import type { MatrixUser, SetPresence } from '../client/matrix-user.js';
import type { TestServer } from '../test-server.js';
import { timerStoryMs } from '../story-limit.js';

/**
 * What a client does with /sync around the story, besides the first sync
 * every syncing client makes:
 * - `loop`: keeps long-polling throughout (an app in the foreground);
 * - `once`: synced once at start and never again, then only sends (a bot);
 * - `background`: synced, then stayed away longer than the server's
 *   sync-online timeout (an app sent to the background), came back with a
 *   sync and keeps syncing.
 */
export type SyncHabit = 'loop' | 'once' | 'background';

/**
 * How the user whose presence a story is about uses the server. Stories run
 * with each kind their requirement's statement applies to: servers take
 * different paths for each (Dendrite v0.13.8, for one, only idles users it
 * has seen syncing, and treats a message as no activity).
 */
export interface ClientKind {
  /** Stable, kebab-case: the kind as results, evidence and reports name it. */
  readonly id: string;
  /** For test names (at most 40 characters: vitest cuts longer parameters): "a fresh client that never synced". */
  readonly name: string;
  /** Devices that sync before the story (0: none, the minimal client). */
  readonly devices: 0 | 1 | 2;
  /** What its devices do with /sync after their first one; absent with no devices. */
  readonly habit?: SyncHabit;
}

/** The minimal client: never syncs; PUTs its presence and sends messages. */
export const FRESH_CLIENT: ClientKind = { id: 'fresh', name: 'a fresh client that never synced', devices: 0 };
/** An app open on a phone and a laptop, each device long-polling throughout. */
export const SYNCING_CLIENT: ClientKind = { id: 'two-devices', name: 'two devices that sync throughout', devices: 2, habit: 'loop' };
/** A bot: one sync at start (as SDKs do on login), then only messages, receipts or typing. */
export const BOT_CLIENT: ClientKind = { id: 'bot', name: 'a bot that synced once, then only sends', devices: 1, habit: 'once' };
/** An app sent to the background longer than the sync-online timeout, then brought back. */
export const BACKGROUND_CLIENT: ClientKind = { id: 'background', name: 'an app back from the background', devices: 1, habit: 'background' };

/** Every client kind of the stable area, in the order stories run them. */
export const CLIENT_KINDS: readonly ClientKind[] = [FRESH_CLIENT, SYNCING_CLIENT, BOT_CLIENT, BACKGROUND_CLIENT];

/**
 * For stories about /sync itself, where a loop would be the thing under test:
 * the minimal client, and one that synced first (then stopped). One device
 * only: a second device's own presence would decide the user's (servers
 * combine devices, the most online wins), which is not what these
 * requirements speak of. Use `connectClient` alone with these.
 */
export const SYNCED_FIRST_KINDS: readonly ClientKind[] = [FRESH_CLIENT, { id: 'synced-first', name: 'a client that synced first', devices: 1, habit: 'once' }];

/**
 * Why `kind` cannot be run against this server, if it cannot: an app sent to
 * the background has to stay away past the server's sync-online timeout, and
 * a server without one (Dendrite v0.13.8 never makes a user offline for not
 * syncing; its timings declare a day) gives it nothing to stay away past
 * within any story's time limit (harness/story/story-limit.ts). Stories skip
 * the kind with this reason; `connectClient` refuses it.
 */
export function kindNotRunnable(server: TestServer, kind: ClientKind): string | undefined {
  const { syncOnlineTimeoutMs } = server.timings;
  if (kind.habit === 'background' && syncOnlineTimeoutMs > timerStoryMs(server.timings)) {
    return `cannot apply: the target declares a ${Math.round(syncOnlineTimeoutMs / 1000)} s sync-online timeout (none in effect), longer than any story may last, so an app cannot stay away past it`;
  }
  return undefined;
}

/**
 * Connects `user` the way `kind` says, and notes the kind in the story's
 * evidence (reports show verdicts per kind). Each of its devices (the user
 * itself and, for two, a second login) makes a first /sync with
 * `setPresence`, as a real client does before anything else; an app sent to
 * the background then stays away until the server's sync-online timer has
 * run past (`afterTimer`: within the story's wait budget) and comes back
 * with another such sync. Resolves to the devices that keep syncing through
 * the story (for `whileConnected`): none for the minimal client and the bot.
 */
export async function connectClient(server: TestServer, kind: ClientKind, user: MatrixUser, setPresence?: SetPresence): Promise<MatrixUser[]> {
  server.recorder.clientKind = kind.id;
  const notRunnable = kindNotRunnable(server, kind);
  if (notRunnable) throw new Error(`${kind.id}: ${notRunnable} (stories check kindNotRunnable first)`);
  if (kind.devices === 0) return [];
  const devices = kind.devices === 2 ? [user, await user.loginDevice()] : [user];
  for (const device of devices) await device.sync({ setPresence, initial: true });
  if (kind.habit === 'once') return [];
  if (kind.habit === 'background') {
    await server.pauseUntil(server.afterTimer(Date.now(), server.timings.syncOnlineTimeoutMs));
    for (const device of devices) await device.sync({ setPresence });
  }
  return devices;
}

/**
 * Runs `story` while every device keeps long-polling /sync (polls of
 * `pollMs`, with `setPresence`): a connected client's sync loop. With no
 * devices (the minimal client, the bot) it just runs `story`.
 */
export function whileConnected<T>(devices: MatrixUser[], options: { setPresence?: SetPresence; pollMs: number }, story: () => Promise<T>): Promise<T> {
  return devices.reduceRight<() => Promise<T>>((inner, device) => () => device.whileSyncing(options, inner), story)();
}
