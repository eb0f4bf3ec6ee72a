import type { EmbeddedTarget } from '../target.js';
import { startTuwunel } from './start.js';
import { TUWUNEL_PRESENCE_SECONDS, TUWUNEL_TIMINGS } from './timings.js';

/** `--target tuwunel`: see start.ts and README.md in this folder. */
export const tuwunelTarget: EmbeddedTarget = {
  type: 'embedded',
  summary: `tuwunel (a Conduit-family server) from --binary PATH or PRESENCE_TUWUNEL_BINARY; its per-user presence timers set to ${TUWUNEL_PRESENCE_SECONDS.idleTimeout} s idle, ${TUWUNEL_PRESENCE_SECONDS.offlineTimeout} s offline`,
  timings: TUWUNEL_TIMINGS,
  timingsFile: 'harness/targets/tuwunel/timings.ts',
  start: startTuwunel,
};
