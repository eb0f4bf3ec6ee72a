import type { TargetTimings } from '../timings.js';

/**
 * The JSON contract between the run and its test workers: what a suite can
 * know of the server under test. It lives in the face because the face
 * consumes it; the machinery (harness/targets, the runner) builds it and
 * imports it from here, so nothing here names the target registry.
 */

/** How the harness registers test users on a target. */
export type RegistrationMethod =
  | { kind: 'shared-secret'; secret: string }
  | { kind: 'open' }
  /** `/register` with user-interactive auth `m.login.registration_token` (`--registration-token`). */
  | { kind: 'token'; token: string };

/** What names the server under test in results, reports and comparisons. */
export interface TargetIdentity {
  /** The `--target` it was reached by (a key of the registry in harness/targets/registry.ts, which the face does not import). */
  kind: string;
  baseUrl: string;
  serverName: string;
  /** Product and version, e.g. "Synapse 1.163.2"; "unknown" when it could not be learned. */
  serverVersion: string;
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

/**
 * The JSON part of a started target (`StartedTarget` in
 * harness/targets/target.ts, which adds its handles: `stop`, `logFile`, the
 * in-process `federation` link), as it reaches test workers.
 */
export interface StartedFacts extends TargetIdentity {
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
  /** The CA (PEM) that `--ca-file` names, trusted for this target's https origins by every client of the harness (harness/story/client/trust.ts). */
  ca?: string;
  /** A federating pair's other server (users registered there live on another homeserver). */
  peer?: PeerTarget;
  /** A federating pair's recording proxy: where test workers read its record and inject (harness/federation/proxy.ts). */
  federationControlUrl?: string;
}

/**
 * What the preflight measured of a server's rate limit on presence changes
 * (Synapse's `rc_presence.per_user`, 0.1/s with a burst of 1 by default):
 * one change per `intervalMs` per user. JSON-serialisable (it reaches the
 * test workers in the TargetDescriptor); paced by harness/story/client/presence-pacer.ts.
 */
export interface PresencePace {
  intervalMs: number;
  /** The limit as the preflight met it, for the evidence. */
  limit: string;
}

/**
 * Everything the suites need to know about the server under test: the
 * started target without its handles, plus what the run adds. Built by the
 * CLI, handed to test workers through vitest's `provide`/`inject` (so it must
 * stay JSON-serialisable).
 */
export interface TargetDescriptor extends StartedFacts {
  /** Unique per run, so repeated runs against one server never collide on user names. */
  runPrefix: string;
  /** Seed of the faker generator; printed and recorded so a run can be replayed. */
  seed: number;
  /**
   * The target's round trip as the preflight measured it (ms); seeds each
   * test worker's running estimate, which delivery deadlines allow for
   * (harness/story/client/round-trip.ts). Absent: 0 until a worker has measured.
   */
  roundTripMs?: number;
  /**
   * The server's rate limit on presence changes, as the preflight measured it
   * (harness/runner/presence-pace.ts); absent when it met none. Each user's
   * presence changes are then paced (harness/story/client/presence-pacer.ts).
   */
  presencePace?: PresencePace;
  /**
   * The access token of an admin the preflight registered by shared secret,
   * when the server offers Synapse's admin login API: second devices log in
   * through it instead of `m.login.password`, which login rate limits block.
   */
  adminToken?: string;
  /**
   * The BroadcastChannel on which test workers announce every user they
   * register to the run, which removes them at its end
   * (harness/users/ledger.ts). Absent: nobody keeps count (unit tests).
   */
  usersChannel?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    target: TargetDescriptor;
  }
}
