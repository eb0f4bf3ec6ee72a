import { randomBytes } from 'node:crypto';

/**
 * Every user a run registers has a localpart starting with the run's prefix
 * and a `-` (harness/story/test-server.ts), on either server of a pair: runs that
 * share a server (the self-check's) tell their users apart by it.
 */
export function newRunPrefix(): string {
  return `pc${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

/** The server name of a user ID: everything after the first `:` (`@a:127.0.0.1:8448` → `127.0.0.1:8448`). */
export function serverNameOf(userId: string): string {
  return userId.slice(userId.indexOf(':') + 1);
}

/** The run prefix of a user ID: its localpart up to the first `-` (`@pc1a2b-3c4d5e-alice-ann:hs` → `pc1a2b`). */
export function runPrefixOf(userId: string): string {
  return userId.slice(1).split(/[-:]/, 1)[0] ?? '';
}
