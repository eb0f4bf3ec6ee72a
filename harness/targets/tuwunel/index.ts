import type { TargetDefinition } from '../definition.js';
import { HOW_TO_GET_TUWUNEL } from './binary.js';
import { TUWUNEL_LINK } from './federation.js';
import { startTuwunel } from './start.js';
import { TUWUNEL_PRESENCE_SECONDS, TUWUNEL_TIMINGS } from './timings.js';

/** `--target tuwunel`: see start.ts and README.md in this folder. */
export const tuwunelTarget = {
  type: 'embedded',
  summary: `tuwunel (a Conduit-family server) from --binary PATH or PRESENCE_TUWUNEL_BINARY; its per-user presence timers set to ${TUWUNEL_PRESENCE_SECONDS.idleTimeout} s idle, ${TUWUNEL_PRESENCE_SECONDS.offlineTimeout} s offline`,
  capabilities: {
    // tuwunel.toml can say allow_local_presence = false, but the self-check's
    // presence-disabled stage has been judged on Synapse alone: not offered
    // until its verdicts on tuwunel are checked by hand.
    disablePresence: false,
    federate: true,
    link: TUWUNEL_LINK,
    binary: { required: true, howToGet: HOW_TO_GET_TUWUNEL },
  },
  timings: TUWUNEL_TIMINGS,
  timingsFile: 'harness/targets/tuwunel/timings.ts',
  start: startTuwunel,
} as const satisfies TargetDefinition;
