import type { ExternalTarget } from '../target.js';
import { connectUrlTarget } from './connect.js';

/** `--target url`: an already-running homeserver at `--base-url`. */
export const urlTarget: ExternalTarget = {
  type: 'external',
  summary: 'an already-running homeserver at --base-url',
  connect: connectUrlTarget,
};
