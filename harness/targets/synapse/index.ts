import type { EmbeddedTarget } from '../target.js';
import { startSynapse } from './start.js';
import { SYNAPSE_TIMINGS, SYNAPSE_VERSION } from './timings.js';

/** `--target synapse` (the default): see start.ts. */
export const synapseTarget: EmbeddedTarget = {
  type: 'embedded',
  summary: `Synapse ${SYNAPSE_VERSION} from PyPI (cached per user), shortened presence timers`,
  timings: SYNAPSE_TIMINGS,
  timingsFile: 'harness/targets/synapse/timings.ts',
  start: startSynapse,
};
