import type { FederationLink } from '../federation/proxy.js';
import type { StartedFacts } from '../story/server-facts.js';
import type { TargetKind } from './kind.js';

export type { PeerTarget, RegistrationMethod, TargetIdentity } from '../story/server-facts.js';

/**
 * A homeserver the harness has started or connected to: the facts test
 * workers receive (harness/story/server-facts.ts) with the registry's kind
 * stamped on, plus the handles that stay in this process.
 */
export interface StartedTarget extends Omit<StartedFacts, 'kind' | 'serverName'> {
  /** The `--target` it was reached by, stamped by the registry (harness/targets/registry.ts). */
  kind: TargetKind;
  /** Known up front for an embedded target; discovered at preflight otherwise. */
  serverName?: string;
  /** Where the server's own log went, if the harness owns the server. */
  logFile?: string;
  /** Stops what the harness started; a no-op for external servers. Idempotent. */
  stop(): Promise<void>;
  /** The same proxy in this process: the self-check's federation mutants tamper with the link through it. */
  federation?: FederationLink;
}
