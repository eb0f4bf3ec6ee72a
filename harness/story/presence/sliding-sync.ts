import type { MatrixUser } from '../client/matrix-user.js';
import { discoverSlidingSync, SLIDING_SYNC_FLAG, type SlidingSyncClient } from '../client/sliding-sync.js';
import type { TestServer } from '../test-server.js';

/** The client kind of the sliding-sync stories, as evidence and reports name it: Element X's way of syncing. */
export const SLIDING_SYNC_KIND_ID = 'sliding-sync';

/**
 * A sliding-sync client (MSC4186) for `user`, on the endpoint the server
 * offers (harness/story/client/sliding-sync.ts: `/versions`, then a probe
 * with `set_presence=offline`, made before the story sets her state). A
 * server without one is not judged: the story is skipped, naming what was
 * tried. The connection returned is fresh (its first request has no `pos`).
 */
export async function slidingSyncClient(server: TestServer, user: MatrixUser, skip: (reason: string) => void): Promise<SlidingSyncClient> {
  server.recorder.clientKind = SLIDING_SYNC_KIND_ID;
  const advertised = (await server.unstableFeatures()).offers(SLIDING_SYNC_FLAG);
  const offer = await discoverSlidingSync(advertised, (path) => user.slidingSync(path).sync({ setPresence: 'offline' }), server.target.serverVersion);
  if (offer.path === undefined) {
    skip(offer.reason);
    throw new Error(offer.reason); // skip() ends the test; this is for the type checker
  }
  server.recorder.note(`${user.role} syncs through sliding sync at ${offer.path} (${offer.advertised ? '' : 'not '}advertised in /versions)`);
  return user.slidingSync(offer.path);
}
