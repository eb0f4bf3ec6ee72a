import type { TargetTimings } from '../timings.js';
import type { FederationSetup } from '../federation/setup.js';
import type { FederationLink } from '../federation/proxy.js';
import type { OwnedServer } from './owned-server.js';
import type { PeerTarget, RegistrationMethod, TargetIdentity } from '../story/server-facts.js';

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

/** What an embedded target's `start` is given by the runner (harness/runner/start-target.ts). */
export interface EmbeddedStartOptions {
  /** Private folder for its config, database and secrets; removed when the run ends. */
  workDir: string;
  /** Receives the server's stdout and stderr. */
  logFile: string;
  progress: (line: string) => void;
  /** Tags the server process (env PRESENCE_CONFORMANCE_OWNER) so tests can prove it is gone. */
  owner: string;
  /** Receives the process as soon as it exists, so an interrupt can stop it. */
  onSpawn?: (server: OwnedServer) => void;
  /**
   * Boot with presence switched off (Synapse: `presence.enabled: false`): the
   * self-check's presence-disabled stage. A target that cannot does not offer it.
   */
  presenceDisabled?: boolean;
  /** Boot as one server of a federating pair (harness/federation/pair.ts); a target that cannot federate refuses. */
  federation?: FederationSetup;
}

/** What `--target url` (an external server) is given: the user's flags. */
export interface ExternalTargetOptions {
  /** `--base-url`; absent, it is discovered from `serverName`'s `/.well-known/matrix/client`. */
  baseUrl?: string;
  serverName?: string;
  /** `--ca-file`: a PEM file of the CA that signed the server's certificate (https). */
  caFile?: string;
  /** `--server-version`: wins over anything the server says about itself. */
  serverVersion?: string;
  registration: RegistrationMethod;
  timings: TargetTimings;
}

/** What `--target docker` is given: the image and the user's flags about it. */
export interface ContainerTargetOptions {
  /** A local image name; never pulled. */
  image: string;
  /** Passed to the image as `SERVER_NAME`; learned from a registered user ID either way. */
  serverName?: string;
  serverVersion?: string;
  /** Absent: the Complement contract's shared secret, `complement`. */
  registration?: RegistrationMethod;
  /** The user's timing flags; the image's timings label fills the rest, then the spec's examples. */
  timings: Partial<TargetTimings>;
}

/** What a container target's `start` is given: the user's flags plus what the runner owns. */
export interface ContainerStartOptions extends ContainerTargetOptions, Omit<EmbeddedStartOptions, 'workDir' | 'presenceDisabled'> {}

/** A homeserver image the harness runs as a container it owns (removed when the run ends). */
export interface ContainerTarget {
  type: 'container';
  summary: string;
  start(options: ContainerStartOptions): Promise<StartedTarget>;
}

/** A homeserver the harness provisions, boots and owns (its process and work folder). */
export interface EmbeddedTarget {
  type: 'embedded';
  /** One line for `--help`. */
  summary: string;
  /** The timers it is declared with (its folder's timings.ts), and where they are written. */
  timings: TargetTimings;
  timingsFile: string;
  start(options: EmbeddedStartOptions): Promise<StartedTarget>;
}

/** A homeserver someone else runs, reached by URL. */
export interface ExternalTarget {
  type: 'external';
  summary: string;
  connect(options: ExternalTargetOptions): Promise<StartedTarget>;
}

/**
 * Two embedded servers that federate with each other and nothing else,
 * through the recording proxy (harness/federation/pair.ts): every suite runs
 * against the first; the federation suite also registers users on the second.
 */
export interface PairTarget {
  type: 'pair';
  summary: string;
  /** Registry names of the embedded targets: the server under test, and its peer. */
  first: string;
  second: string;
}

/** One entry of the target registry: everything the CLI, runner and reports know of a target kind. */
export type TargetDefinition = EmbeddedTarget | ExternalTarget | ContainerTarget | PairTarget;
