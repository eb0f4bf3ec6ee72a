import type { Mutant } from '../mutant.js';
import { caNeverExpires, caOnNonOnline, caRepeatsLaaUpdates } from './currently-active.js';
import { FEDERATION_MUTANTS } from './federation.js';
import { ffcEmittedInSync, ffcPutAccepted, ffcPutServerError, ffcSyncAccepted, ffcWrongErrcode } from './free-for-chat.js';
import { neverIdle, noWakeFromOtherDevice } from './idle-timeout.js';
import { laaFloatSeconds, laaFrozen, laaMessageNotProactive } from './last-active.js';
import { putDropsStatusMsg, putOfflineIgnored, putOtherUser } from './put.js';
import { eventPresenceDelta, eventWithoutSender } from './schema.js';
import { syncIgnoresOffline, syncIgnoresUnavailable } from './sync.js';
import { SLIDING_SYNC_MUTANTS } from './tentative-sliding-sync.js';
import { getLeaksToNonSharer, getRefusesRoommate, presenceDoesNotWakeSync, syncLeaksToNonSharer } from './visibility.js';
import { noPresenceInSync, presenceDisabled } from './wholesale.js';
import { BUSY_MUTANTS } from './tentative-busy.js';

/** Every mutant the self-check runs, one realistic server bug each. */
export const MUTANTS: readonly Mutant[] = [
  ffcPutAccepted,
  ffcPutServerError,
  ffcWrongErrcode,
  ffcEmittedInSync,
  ffcSyncAccepted,
  putOtherUser,
  putDropsStatusMsg,
  putOfflineIgnored,
  getLeaksToNonSharer,
  syncLeaksToNonSharer,
  getRefusesRoommate,
  presenceDoesNotWakeSync,
  laaFrozen,
  laaMessageNotProactive,
  laaFloatSeconds,
  caOnNonOnline,
  caRepeatsLaaUpdates,
  caNeverExpires,
  neverIdle,
  noWakeFromOtherDevice,
  syncIgnoresOffline,
  syncIgnoresUnavailable,
  eventWithoutSender,
  eventPresenceDelta,
  noPresenceInSync,
  presenceDisabled,
  ...BUSY_MUTANTS,
  ...FEDERATION_MUTANTS,
  ...SLIDING_SYNC_MUTANTS,
];
