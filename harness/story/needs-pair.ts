import type { TestServer } from './test-server.js';

/** Why a federation story does not run against a single server. */
export const NEEDS_PAIR = 'needs two federating servers: run with --target synapse+synapse';

/**
 * Skips the story (with NEEDS_PAIR) unless the run has a federating pair;
 * the federation stories start with it.
 */
export function requirePair(server: TestServer, skip: (reason: string) => void): void {
  if (!server.target.peer || !server.target.federationControlUrl) skip(NEEDS_PAIR);
}
