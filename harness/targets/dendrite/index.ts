import type { TargetDefinition } from '../definition.js';
import { dendriteImage } from './image.js';
import { startDendrite } from './start.js';
import { DENDRITE_TIMINGS, DENDRITE_VERSION } from './timings.js';

/** `--target dendrite`: see start.ts and README.md. */
export const dendriteTarget = {
  type: 'embedded',
  summary: `Dendrite ${DENDRITE_VERSION} built with Go (cached per user), or the build --binary names; its fixed 5-minute timers`,
  capabilities: { disablePresence: false, federate: true, binary: { required: false }, image: dendriteImage },
  timings: DENDRITE_TIMINGS,
  timingsFile: 'harness/targets/dendrite/timings.ts',
  start: startDendrite,
} as const satisfies TargetDefinition;
