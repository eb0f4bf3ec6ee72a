import type { EmbeddedTarget } from '../target.js';
import { startDendrite } from './start.js';
import { DENDRITE_TIMINGS, DENDRITE_VERSION } from './timings.js';

/** `--target dendrite`: see start.ts and docs/targets/dendrite.md. */
export const dendriteTarget: EmbeddedTarget = {
  type: 'embedded',
  summary: `Dendrite ${DENDRITE_VERSION} built with Go (cached per user); its fixed 5-minute timers`,
  timings: DENDRITE_TIMINGS,
  timingsFile: 'harness/targets/dendrite/timings.ts',
  start: startDendrite,
};
