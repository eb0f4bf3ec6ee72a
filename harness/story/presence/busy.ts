import { Inconclusive } from '../errors.js';
import type { TestServer } from '../test-server.js';

/**
 * MSC3026's `busy` state as clients and servers use it. The proposal's
 * "Unstable prefix" section names `org.matrix.busy`, but its own flag is
 * `org.matrix.msc3026.busy_presence`, and every implementation uses
 * `org.matrix.msc3026.busy`: Synapse (api/constants.py `PresenceState.BUSY`;
 * it refuses `org.matrix.busy` with 400, checked by hand on 1.163.2), tuwunel
 * (ruma's `PresenceState::Busy`), Element Web and Element Android. The
 * stories PUT that value only.
 */
export const BUSY = 'org.matrix.msc3026.busy';

/** The `/versions` unstable feature a server that implements MSC3026 sets to `true`. */
export const BUSY_FLAG = 'org.matrix.msc3026.busy_presence';

/** Why a busy story does not apply, in one line each (a story skips with it). */
export const BUSY_NOT_ADVERTISED = `not applicable: /versions does not advertise ${BUSY_FLAG} (PRES-TENT-BUSY-REFUSED applies instead)`;
export const BUSY_ADVERTISED = `not applicable: /versions advertises ${BUSY_FLAG} (PRES-TENT-BUSY-SET and -NOT-IDLED apply instead)`;

/**
 * Whether the server advertises MSC3026 (`true` under `unstable_features`),
 * with the `/versions` exchange in the evidence. When it does, this test's
 * payload invariants take `org.matrix.msc3026.busy` as the feature's state
 * (the client checked the flag, as the proposal requires), not as a value
 * outside the enum. Undefined when `/versions` did not answer 200: neither
 * "advertised" nor "not advertised" can then be concluded.
 */
export async function busyAdvertised(server: TestServer): Promise<boolean | undefined> {
  const features = await server.unstableFeatures();
  if (features.reply.status !== 200) return undefined;
  const offered = features.offers(BUSY_FLAG);
  if (offered) server.acceptExtensionState(BUSY, BUSY_FLAG);
  return offered;
}

/**
 * Goes on only where the server's advertisement is the one the story is
 * about (`advertised`: SET and NOT-IDLED want it, REFUSED does not); the
 * other way the story does not apply (skipped, with why). Inconclusive when
 * `/versions` did not answer.
 */
export async function busyStoryApplies(server: TestServer, skip: (reason: string) => void, advertised: boolean): Promise<void> {
  const offered = await busyAdvertised(server);
  if (offered === undefined) throw new Inconclusive('GET /versions did not answer 200: whether busy is offered is unknown');
  if (offered === advertised) return;
  const reason = advertised ? BUSY_NOT_ADVERTISED : BUSY_ADVERTISED;
  skip(reason);
  throw new Error(reason); // skip() ends the test; this is for the type checker
}
