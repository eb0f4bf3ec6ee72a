import type { RegistrationMethod } from './descriptor.js';
import type { TargetTimings } from '../timings.js';

/** A homeserver the harness has started or connected to. */
export interface StartedTarget {
  kind: 'synapse' | 'url';
  baseUrl: string;
  /** Known up front for the embedded target; discovered at preflight otherwise. */
  serverName?: string;
  serverVersion: string;
  registration: RegistrationMethod;
  timings: TargetTimings;
  startedAt: number;
  /** Where the server's own log went, if the harness owns the server. */
  logFile?: string;
  /** Stops what the harness started; a no-op for external servers. Idempotent. */
  stop(): Promise<void>;
}
