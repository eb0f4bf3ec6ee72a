import type { TargetTimings } from '../timings.js';
import type { FederationLink } from '../federation/proxy.js';
import type { TargetKind } from './kind.js';

/** How the harness registers test users on a target. */
export type RegistrationMethod =
  | { kind: 'shared-secret'; secret: string }
  | { kind: 'open' }
  /** `/register` with user-interactive auth `m.login.registration_token` (`--registration-token`). */
  | { kind: 'token'; token: string };

/** What names the server under test in results, reports and comparisons. */
export interface TargetIdentity {
  /** The `--target` it was reached by (a key of the registry in harness/targets/registry.ts). */
  kind: TargetKind;
  baseUrl: string;
  serverName: string;
  /** Product and version, e.g. "Synapse 1.163.2"; "unknown" when it could not be learned. */
  serverVersion: string;
}

/** A homeserver the harness has started or connected to. */
export interface StartedTarget extends Omit<TargetIdentity, 'serverName'> {
  /** Known up front for an embedded target; discovered at preflight otherwise. */
  serverName?: string;
  registration: RegistrationMethod;
  timings: TargetTimings;
  /** Epoch ms at which the server was started (or first contacted). */
  startedAt: number;
  /**
   * Epoch ms at which a server the harness started first answered. Its own
   * timers (Synapse's first timeout check 30 s, first persistence 2 min
   * after boot) were set somewhere between `startedAt` and this: under load
   * seconds apart, and a watch or deadline derived from the phase allows for
   * the whole span (`TestServer`). Absent: the same as `startedAt`.
   */
  readyAt?: number;
  /** Where the server's own log went, if the harness owns the server. */
  logFile?: string;
  /** The CA (PEM) that `--ca-file` names, trusted for this target's https origins by every client of the harness (harness/client/trust.ts). */
  ca?: string;
  /** Stops what the harness started; a no-op for external servers. Idempotent. */
  stop(): Promise<void>;
  /** A federating pair's other server (users registered there live on another homeserver). */
  peer?: PeerTarget;
  /** A federating pair's recording proxy: where test workers read its record and inject (harness/federation/proxy.ts). */
  federationControlUrl?: string;
  /** The same proxy in this process: the self-check's federation mutants tamper with the link through it. */
  federation?: FederationLink;
}

/** The second server of a federating pair, as test workers see it. */
export interface PeerTarget {
  kind: string;
  baseUrl: string;
  serverName: string;
  serverVersion: string;
  registration: RegistrationMethod;
  /** Its declared timers: what it takes to send and deliver on its side of the hop. */
  timings: TargetTimings;
}
