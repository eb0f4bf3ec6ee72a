import type { TargetTimings } from '../timings.js';

// The contract between a family's image recipe (its folder's image.ts) and
// `npm run images` (harness/images/), which reads the recipes through the
// registry: here, so that neither side imports the other's folder to agree.

/** Where the image keeps the entrypoint, the template and build.json. */
export const IMAGE_DIR = '/opt/presence-conformance';

/** The container's data folder (databases, keys, media, config): fresh in each container. */
export const DATA_DIR = '/data';

/** The servers the image entrypoint (fixtures/images/entrypoint.py) knows how to complete a config for. */
export type ServerName = 'synapse' | 'dendrite';

/** build.json, the build-time half of the config that the entrypoint completes at container start. */
export interface BuildJson {
  server: ServerName;
  /** The template inside the image. */
  template: string;
  dataDir: string;
  configPath: string;
  /** Build-time template values (paths, timers, bcrypt cost). */
  values: Record<string, string | number | boolean>;
  /** Where the fresh signing key goes: the template value naming its path, and its file format. */
  signingKey: { value: string; format: 'synapse' | 'dendrite-pem' };
  /** Synapse's virtualenv python. */
  python?: string;
  /** Dendrite's binary. */
  binary?: string;
}

/** Everything that makes one homeserver image. */
export interface ServerImageSpec {
  server: ServerName;
  /** Repository:tag of the image. */
  image: string;
  version: string;
  /** The config template on this machine (fixtures/). */
  templateFile: string;
  timings: TargetTimings;
  build: BuildJson;
  /**
   * Shell script run in the build container as root, with a clean
   * environment, after the context (entrypoint, template, build.json, extra
   * files) was copied to IMAGE_DIR and this machine's CA bundle to /tmp/ca.crt.
   */
  install: string;
  /** Files on this machine copied into IMAGE_DIR with the context: name in the image → path here. */
  extraFiles: Record<string, string>;
}

/**
 * A family's image recipe (its folder's image.ts), declared as the
 * `image` capability of its definition: `npm run images` builds one image
 * for each family that declares one, reading them through the registry.
 */
export interface ImageRecipe {
  /**
   * The image's spec. `binary`: where `provision` put the server's binary on
   * this machine (copied into the image); absent, a spec good for the image's
   * name and recipe hash, which never depend on that path.
   */
  spec(binary?: string): ServerImageSpec;
  /** Makes what goes into the image on this machine (a built binary), and names the version the image's label records. */
  provision(progress: (line: string) => void): Promise<{ binary?: string; serverVersion: string }>;
}
