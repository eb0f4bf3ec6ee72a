import type { TargetTimings } from '../timings.js';
import type { FederationSetup } from '../federation/setup.js';
import type { LinkTraits } from '../federation/proxy.js';
import type { ImageRecipe } from './image-recipe.js';
import type { OwnedServer } from './owned-server.js';
import type { RegistrationMethod, StartedTarget } from './target.js';

/**
 * What a family's start (or connect) hands back: the started target before
 * the registry stamps the `--target` it was reached by onto it
 * (registry.ts: stamped). A family never names itself.
 */
export type StartedServer = Omit<StartedTarget, 'kind'>;

/**
 * What a family declares it can do. The CLI, the runner, the self-check and
 * `npm run images` read these, never a family's name.
 */
export interface Capabilities {
  /** Boots with presence switched off (Synapse: `presence.enabled: false`): the self-check's presence-disabled stage. */
  disablePresence: boolean;
  /** Boots as one server of a federating pair (harness/runner/start-pair.ts). */
  federate: boolean;
  /**
   * How the recording proxy must front it in a pair, where not as Synapse
   * and Dendrite need (a TLS listener of its own, the harness's signing key
   * in its config): e.g. tuwunel serves plain HTTP and makes its own key.
   */
  link?: LinkTraits;
  /**
   * Boots a binary the user hands over (`--binary PATH`, or env
   * `PRESENCE_<FAMILY>_BINARY`) instead of one the harness provisions; the
   * runner passes its path as `StartOptions.binary`. `required`: the family
   * provisions none, so a run without one is refused.
   */
  binary?: { required: boolean; /** How to get one, for the refusal (required only). */ howToGet?: string };
  /** Built into a homeserver image by `npm run images` (its folder's image.ts). */
  image?: ImageRecipe;
}

/** What a family the harness boots is given by the runner (harness/runner/start-target.ts). */
export interface StartOptions {
  /** Private folder for its config, database and secrets; removed when the run ends. */
  workDir: string;
  /** Receives the server's stdout and stderr. */
  logFile: string;
  progress: (line: string) => void;
  /** Tags the server process (env PRESENCE_CONFORMANCE_OWNER) so tests can prove it is gone. */
  owner: string;
  /** Receives the process as soon as it exists, so an interrupt can stop it. */
  onSpawn?: (server: OwnedServer) => void;
  /** Boot with presence switched off; given only to a family that declares `disablePresence`. */
  presenceDisabled?: boolean;
  /** Boot as one server of a federating pair; given only to a family that declares `federate`. */
  federation?: FederationSetup;
  /** The user's binary (`--binary`), checked executable; given only to a family that declares `binary`. */
  binary?: string;
}

/** What `--target url` (an external server) is given: the user's flags. */
export interface UrlOptions {
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
export interface ImageOptions {
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

/** What a container's `start` is given: the user's flags plus what the runner owns. */
export interface ImageStartOptions extends ImageOptions, Omit<StartOptions, 'workDir' | 'presenceDisabled' | 'federation' | 'binary'> {}

/**
 * One entry of the target registry: everything the CLI, runner and reports
 * know of a target. `type` says how it is reached: `embedded`, a homeserver
 * the harness boots and owns (process and work folder) from its folder's
 * start; `external`, one someone else runs, reached by URL; `container`, an
 * image run as a container the harness owns; `pair`, two embedded servers
 * federating through the recording proxy (every suite runs against the first,
 * the federation suite also registers users on the second).
 */
export type TargetDefinition = {
  /** One line for `--help`. */
  summary: string;
  capabilities: Capabilities;
} & (
  | {
    type: 'embedded';
    /** The timers it is declared with (its folder's timings.ts), and where they are written. */
    timings: TargetTimings;
    timingsFile: string;
    start(options: StartOptions): Promise<StartedServer>;
  }
  | { type: 'external'; connect(options: UrlOptions): Promise<StartedServer> }
  | { type: 'container'; start(options: ImageStartOptions): Promise<StartedServer> }
  | {
    type: 'pair';
    /** Registry names of the embedded families: the server under test, and its peer (each declares `federate`). */
    first: string;
    second: string;
  }
);
