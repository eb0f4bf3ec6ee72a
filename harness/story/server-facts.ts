import type { PresencePace } from './client/presence-pacer.js';
import type { StartedTarget, TargetIdentity } from '../targets/target.js';

export type { RegistrationMethod } from '../targets/target.js';

/**
 * Everything the suites need to know about the server under test: the
 * started target without its handles, plus what the run adds. Built by the
 * CLI, handed to test workers through vitest's `provide`/`inject` (so it must
 * stay JSON-serialisable).
 */
export interface TargetDescriptor extends Omit<StartedTarget, 'stop' | 'logFile' | 'serverName'>, TargetIdentity {
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
