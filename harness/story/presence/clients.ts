import type { MatrixUser, SetPresence } from '../client/matrix-user.js';
import type { TestServer } from '../test-server.js';
import { remaining } from '../clock.js';
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
export const BOT_CLIENT: ClientKind = { id: 'bot', name: 'a bot: synced once, then only sends', devices: 1, habit: 'once' };
/** An app sent to the background longer than the sync-online timeout, then brought back. */
export const BACKGROUND_CLIENT: ClientKind = { id: 'background', name: 'an app back from the background', devices: 1, habit: 'background' };

/** Every client kind of the stable area, in the order stories run them. */
export const CLIENT_KINDS: readonly ClientKind[] = [FRESH_CLIENT, SYNCING_CLIENT, BOT_CLIENT, BACKGROUND_CLIENT];

/**
 * For stories about /sync itself, where a loop would be the thing under test:
 * the minimal client (its first sync is the one checked: a bot's one sync at
 * start is that), one that synced first (then stopped), and an app whose
 * return from the background is the sync checked. One device only: a second
 * device's own presence would decide the user's (servers combine devices,
 * the most online wins), which is not what these requirements speak of.
 * Connect them with `firstSyncs`; for the app sent to the background, the
 * story waits `inBackground` before its /sync.
 */
export const SYNCED_FIRST_KINDS: readonly ClientKind[] = [FRESH_CLIENT, { id: 'synced-first', name: 'a client that synced first', devices: 1, habit: 'once' }, BACKGROUND_CLIENT];

/**
 * Connects `user` the way `kind` says, and notes the kind in the story's
 * evidence (reports show verdicts per kind). Each of its devices (the user
 * itself and, for two, a second login) makes a first /sync with
 * `setPresence`, as a real client does before anything else; an app sent to
 * the background then stays away until the server's sync-online timer has
 * run past (`inBackground`) and comes back with another such sync. Resolves
 * to the devices that keep syncing through the story (for `whileConnected`):
 * none for the minimal client and the bot.
 */
export async function connectClient(server: TestServer, kind: ClientKind, user: MatrixUser, setPresence?: SetPresence): Promise<MatrixUser[]> {
  const devices = await firstSyncs(server, kind, user, setPresence);
  if (kind.habit === 'once') return [];
  if (kind.habit === 'background') {
    await inBackground(server, Date.now());
    for (const device of devices) await device.sync({ setPresence });
  }
  return devices;
}

/**
 * The first part of `connectClient`, for stories whose own /sync is the rest
 * of the kind's habit (the app's return from the background is the /sync a
 * sync story checks): notes the kind, logs in its devices and makes each one's
 * first /sync with `setPresence`. Resolves to the devices (none for the
 * minimal client). An app sent to the background is refused first where it
 * cannot be one (`inBackground`).
 */
export async function firstSyncs(server: TestServer, kind: ClientKind, user: MatrixUser, setPresence?: SetPresence): Promise<MatrixUser[]> {
  server.recorder.clientKind = kind.id;
  kindApplies(server, kind);
  if (kind.devices === 0) return [];
  const devices = kind.devices === 2 ? [user, await user.loginDevice()] : [user];
  for (const device of devices) await device.sync({ setPresence, initial: true });
  return devices;
}

/**
 * An app in the background: no request until the server's sync-online timer,
 * counted from `since` (its last sync or activity), has run past, its check
 * interval and delivery included (within the story's wait budget).
 */
export async function inBackground(server: TestServer, since: number): Promise<void> {
  kindApplies(server, BACKGROUND_CLIENT);
  const back = server.afterTimer(since, server.timings.syncOnlineTimeoutMs);
  server.recorder.note(`the app stays in the background (no request) for ${Math.round(remaining(back) / 1000)} s: past the sync-online timeout (${server.timings.syncOnlineTimeoutMs} ms)`);
  await server.pauseUntil(back);
}

/**
 * Ends the story as not applicable (`server.notApplicable`) where the
 * target's declared timers make `kind` meaningless: a server that declares a
 * sync-online timeout longer than any story may last (Dendrite 0.13.8 has no
 * timer that makes a quiet user offline, and declares it as a day) never
 * counts an app as gone; there, back from the background, it is the
 * one-device client that syncs throughout, which the stories run anyway.
 * `connectClient` and `firstSyncs` call it; a story that sets up a lot
 * before connecting may call it first.
 */
export function kindApplies(server: TestServer, kind: ClientKind): void {
  if (kind.habit !== 'background') return;
  const { syncOnlineTimeoutMs } = server.timings;
  const longest = timerStoryMs(server.timings);
  if (syncOnlineTimeoutMs > longest) {
    server.notApplicable(`an app back from the background needs the server's sync-online timeout to pass, and this server declares ${syncOnlineTimeoutMs} ms, longer than any story may last (${longest} ms): it never counts a quiet app as gone`);
  }
}

/**
 * Runs `story` while every device keeps long-polling /sync (polls of
 * `pollMs`, with `setPresence`): a connected client's sync loop. With no
 * devices (the minimal client, the bot) it just runs `story`.
 */
export function whileConnected<T>(devices: MatrixUser[], options: { setPresence?: SetPresence; pollMs: number }, story: () => Promise<T>): Promise<T> {
  return devices.reduceRight<() => Promise<T>>((inner, device) => () => device.whileSyncing(options, inner), story)();
}
