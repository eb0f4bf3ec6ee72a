import { eventually } from '../clock.js';
import type { MatrixUser, PresenceSighting } from '../client/matrix-user.js';
import type { TestServer } from '../test-server.js';

/**
 * Polls `observer`'s view of `user` (its /sync events, then a GET) until one
 * shows `state`, by `deadline`; resolves to that sighting. A timeout is a
 * conformance failure: wrap it in `given` when the state is a precondition.
 */
export function untilSeen(server: TestServer, observer: MatrixUser, user: MatrixUser, state: string, deadline: number): Promise<PresenceSighting> {
  return eventually(
    (left) => observer.observePresence(user, { pollMs: Math.min(left, 1_000) }),
    (seen) => seen.find((s) => s.content.presence === state),
    { deadline, what: `${observer.role} to see ${user.role} ${state}`, recorder: server.recorder },
  );
}
