import type { TargetDefinition } from '../definition.js';
import { synapseImage } from './image.js';
import { startSynapse } from './start.js';
import { SYNAPSE_TIMINGS, SYNAPSE_VERSION } from './timings.js';

/** `--target synapse` (the default): see start.ts and README.md. */
export const synapseTarget = {
  type: 'embedded',
  summary: `Synapse ${SYNAPSE_VERSION} from PyPI (cached per user), shortened presence timers`,
  capabilities: { disablePresence: true, federate: true, image: synapseImage },
  timings: SYNAPSE_TIMINGS,
  timingsFile: 'harness/targets/synapse/timings.ts',
  start: startSynapse,
} as const satisfies TargetDefinition;
