import { makeTestCa, type KeyPair } from '../../tls/test-ca.js';

/** Where Complement puts its CA in every homeserver container before starting it (README "Complement PKI"). */
export const COMPLEMENT_CA_DIR = '/complement/ca';

/**
 * A throwaway CA for a container, as Complement makes one per run. The
 * Complement images of Synapse, Dendrite and continuwuity sign their
 * federation certificate with it at start-up and stop without it, so a
 * container target copies one into `COMPLEMENT_CA_DIR` even though the suite
 * speaks plain HTTP to the client API. The key never leaves the run.
 */
export function makeComplementCa(): Promise<KeyPair> {
  return makeTestCa('presence-conformance Complement CA');
}
