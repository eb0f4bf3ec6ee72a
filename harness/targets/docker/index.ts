import type { ContainerTarget } from '../target.js';
import { startContainer } from './start.js';

/** `--target docker --image NAME`: see start.ts. */
export const dockerTarget: ContainerTarget = {
  type: 'container',
  summary: 'a Complement-compatible homeserver image (--image), run through testcontainers on the host network; never pulled (npm run images builds Synapse and Dendrite ones)',
  start: startContainer,
};
