import type { TargetDefinition } from '../definition.js';
import { connectUrlTarget } from './connect.js';

/** `--target url`: an already-running homeserver at `--base-url`. */
export const urlTarget = {
  type: 'external',
  summary: 'an already-running homeserver at --base-url',
  capabilities: { disablePresence: false, federate: false },
  connect: connectUrlTarget,
} as const satisfies TargetDefinition;
