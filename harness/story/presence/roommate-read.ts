import { eventually } from '../clock.js';
import { ConformanceFailure, Inconclusive } from '../errors.js';
import type { Reply } from '../client/http.js';
import type { MatrixUser, PresenceStatus } from '../client/matrix-user.js';
import type { TestServer } from '../test-server.js';

/**
 * `reader` GETs `of`'s presence until it shows `statusMsg` (what `of` last
 * set), within the delivery deadline: a reader with access is given her
 * presence, not a placeholder. Resolves to the last reply (the caller
 * asserts its status). If the reader never sees it, the story is
 * inconclusive when `of` herself does not read it back either (the PUT did
 * not take: PRES-PUT-ROUNDTRIP), and the reply is returned for the caller's
 * assertion otherwise.
 */
export async function readsWhatSheSet(server: TestServer, reader: MatrixUser, of: MatrixUser, statusMsg: string): Promise<Reply<PresenceStatus>> {
  let last: Reply<PresenceStatus> | undefined;
  try {
    return await eventually(
      async () => (last = await reader.getPresence(of)),
      (reply) => (reply.status === 200 && reply.body.status_msg === statusMsg ? reply : undefined),
      { deadline: server.soon(), what: `${reader.role} to read ${of.role}'s status "${statusMsg}"`, recorder: server.recorder, show: (r) => (r as Reply).evidence },
    );
  } catch (cause) {
    if (!(cause instanceof ConformanceFailure)) throw cause;
    const own = await of.getPresence();
    if (own.status !== 200 || own.body.status_msg !== statusMsg) {
      throw new Inconclusive(`${of.role}'s own GET does not show the status she set either`, 'PRES-PUT-ROUNDTRIP', own.evidence);
    }
    return last!;
  }
}
