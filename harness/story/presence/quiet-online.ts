import type { MatrixUser } from '../client/matrix-user.js';
import type { TestServer } from '../test-server.js';

/**
 * The opening of a story where the server must idle a quiet user: with its
 * presence timers running, `user` sets herself online and goes quiet.
 * Returns the deadline by which she must be seen idle (unavailable). She does
 * not sync, so from the PUT plus the sync-online timeout she may count as
 * disconnected (offline): if the idle deadline falls after that, the idle
 * transition cannot be observed, and the story is skipped saying so.
 */
export async function goesQuietOnline(server: TestServer, user: MatrixUser, skip: (reason: string) => void): Promise<number> {
  const { idleTimeoutMs, syncOnlineTimeoutMs } = server.timings;
  // A delayed first timer check could fire the idle and the disconnect timer together.
  await server.timersRunningFor(idleTimeoutMs, syncOnlineTimeoutMs);
  const putAt = Date.now();
  await user.setPresence('online');
  const idleBy = server.afterTimer(Date.now(), idleTimeoutMs);
  if (idleBy > putAt + syncOnlineTimeoutMs) {
    skip(`the declared idle threshold (${idleTimeoutMs} ms) cannot be observed before the sync-online timeout (${syncOnlineTimeoutMs} ms) makes a quiet client offline`);
  }
  return idleBy;
}
