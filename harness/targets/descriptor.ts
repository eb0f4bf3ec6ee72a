import type { TargetTimings } from '../timings.js';

/** How the harness registers test users on a target. */
export type RegistrationMethod =
  | { kind: 'shared-secret'; secret: string }
  | { kind: 'open' };

/**
 * Everything the suites need to know about the server under test. Built by the
 * CLI, handed to test workers through vitest's `provide`/`inject` (so it must
 * stay JSON-serialisable).
 */
export interface TargetDescriptor {
  kind: 'synapse' | 'url';
  baseUrl: string;
  serverName: string;
  serverVersion: string;
  registration: RegistrationMethod;
  timings: TargetTimings;
  /** Epoch ms at which the server was started (or first contacted). */
  startedAt: number;
  /** Unique per run, so repeated runs against one server never collide on user names. */
  runPrefix: string;
  /** Seed of the faker generator; printed and recorded so a run can be replayed. */
  seed: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    target: TargetDescriptor;
  }
}
