import type { TargetDefinition } from '../definition.js';
import { startContainer } from './start.js';

/** `--target docker --image NAME`: see start.ts and README.md. */
export const dockerTarget = {
  type: 'container',
  summary: 'a Complement-compatible homeserver image (--image), run through testcontainers on the host network; never pulled (npm run images builds Synapse and Dendrite ones)',
  capabilities: { disablePresence: false, federate: false },
  start: startContainer,
} as const satisfies TargetDefinition;
