import { ConformanceFailure, Inconclusive } from '../errors.js';
import type { MatrixUser, PresenceContent, ReceivedPresence } from '../client/matrix-user.js';
import type { TestServer } from '../test-server.js';
import { whileActive, type LastActivity } from './activity.js';

/** Why the `currently_active` checks are skipped on a server that does not offer it. */
export const CURRENTLY_ACTIVE_NOT_OFFERED =
  'not offered: while the user was online and active, no m.presence update a roommate received carried currently_active: true (the spec says the server "may" include it)';

/**
 * `actor` stays active in `roomId` until `observer`'s /sync delivers an
 * `m.presence` update about them saying `online` with `currently_active:
 * true`, or until the delivery deadline. Returns that update (undefined if
 * none came: the server does not offer `currently_active`) and the actor's
 * last pro-active event.
 *
 * "Not offered" is only concluded when the observer knows the actor to be
 * online (an update during the wait, or the last one before it, said so): a
 * roommate who was told nothing, or only that she is not online, cannot tell
 * whether the server offers the field, and the story is inconclusive.
 * `syncs: false`: she acts without syncing in between (a bot: `whileActive`).
 */
export async function seesCurrentlyActive(
  server: TestServer,
  actor: MatrixUser,
  observer: MatrixUser,
  roomId: string,
  options: { syncs?: boolean } = {},
): Promise<{ update: PresenceContent | undefined; lastActivity: LastActivity }> {
  const deadline = server.soon();
  const known = observer.receivedFrom(actor).length;
  const { result, lastActivity } = await whileActive(server, actor, () => actor.sendMessage(roomId, server.message()), async () => {
    try {
      return await observer.seesPresence(actor, (p) => p.presence === 'online' && p.currently_active === true, { deadline, what: 'online, currently_active: true' });
    } catch (cause) {
      if (cause instanceof ConformanceFailure) return undefined;
      throw cause;
    }
  }, options);
  if (!result) {
    const all = observer.receivedFrom(actor).map((r) => r.event.content);
    const during = all.slice(known);
    const last = all.at(-1);
    if (!during.some((p) => p.presence === 'online') && last?.presence !== 'online') {
      throw new Inconclusive(
        `${observer.role} was never told that ${actor.role}, active, is online (${during.length} updates while she acted; the last one she had: ${JSON.stringify(last ?? null)})`,
        all.length === 0 ? 'PRES-VIS-SHARED-SYNC' : 'PRES-IDLE-WAKE',
      );
    }
  }
  return { update: result, lastActivity };
}

/** The last active time an update implies, on the observer's clock. */
export function impliedLastActive(received: ReceivedPresence): number | undefined {
  const ago = received.event.content.last_active_ago;
  return typeof ago === 'number' ? received.receivedAt - ago : undefined;
}

/**
 * The updates that broke the `currently_active` promise: after an update
 * saying `online` with `currently_active: true`, and before one saying
 * `currently_active: false` or another state, an update that changes nothing
 * but the last active time (same state, same status message, still
 * `currently_active: true`) by more than `toleranceMs`.
 */
export function lastActiveOnlyUpdates(received: ReceivedPresence[], toleranceMs: number): string[] {
  const breaches: string[] = [];
  let anchor: ReceivedPresence | undefined;
  for (const update of received) {
    const content = update.event.content;
    const active = content.presence === 'online' && content.currently_active === true;
    if (!active) {
      anchor = undefined;
      continue;
    }
    if (!anchor || (anchor.event.content.status_msg ?? null) !== (content.status_msg ?? null)) {
      anchor = update;
      continue;
    }
    const before = impliedLastActive(anchor);
    const after = impliedLastActive(update);
    if (before !== undefined && after !== undefined && Math.abs(after - before) > toleranceMs) {
      breaches.push(
        `update in /sync exchange #${update.exchangeSeq} moved only the last active time, by ${after - before} ms, ` +
          `while the update in exchange #${anchor.exchangeSeq} still said currently_active: true: ${JSON.stringify(content)}`,
      );
    }
  }
  return breaches;
}
