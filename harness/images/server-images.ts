import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { TargetTimings } from '../timings.js';
import { DENDRITE_TEMPLATE, dendriteBuildValues } from '../targets/dendrite/config.js';
import { DENDRITE_TIMINGS, DENDRITE_VERSION } from '../targets/dendrite/timings.js';
import { LOW_BCRYPT_ROUNDS, SYNAPSE_TEMPLATE, synapseBuildValues } from '../targets/synapse/config.js';
import { SYNAPSE_TIMINGS, SYNAPSE_VERSION } from '../targets/synapse/timings.js';

/** The image's entrypoint, shared by both servers. */
export const ENTRYPOINT_FILE = fileURLToPath(new URL('../../fixtures/images/entrypoint.py', import.meta.url));

/** Where the image keeps the entrypoint, the template and build.json. */
export const IMAGE_DIR = '/opt/presence-conformance';

/** The container's data folder (databases, keys, media, config): fresh in each container. */
export const DATA_DIR = '/data';

/** The servers an image is built for. */
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

/** The Synapse image: matrix-synapse from PyPI in a virtualenv, configured as the embedded target. */
export function synapseSpec(): ServerImageSpec {
  const python = '/opt/synapse/bin/python';
  return {
    server: 'synapse',
    image: `presence-conformance/synapse:${SYNAPSE_VERSION}`,
    version: SYNAPSE_VERSION,
    templateFile: SYNAPSE_TEMPLATE,
    timings: SYNAPSE_TIMINGS,
    build: {
      server: 'synapse',
      template: `${IMAGE_DIR}/${path.basename(SYNAPSE_TEMPLATE)}`,
      dataDir: DATA_DIR,
      configPath: `${DATA_DIR}/homeserver.yaml`,
      values: synapseBuildValues({ dataDir: DATA_DIR, timings: SYNAPSE_TIMINGS, presenceEnabled: true, bcryptRounds: LOW_BCRYPT_ROUNDS }),
      signingKey: { value: 'signingKeyPath', format: 'synapse' },
      python,
    },
    install: [
      'python3 -m venv /opt/synapse',
      `PIP_CERT=/tmp/ca.crt /opt/synapse/bin/pip install --disable-pip-version-check --no-cache-dir --progress-bar off matrix-synapse==${SYNAPSE_VERSION}`,
      `${python} -c 'import synapse, sys; sys.exit(synapse.__version__ != "${SYNAPSE_VERSION}")'`,
    ].join('\n'),
    extraFiles: {},
  };
}

/** The Dendrite image: the binary the embedded target builds (provisionDendrite), configured as that target. */
export function dendriteSpec(binary: string): ServerImageSpec {
  return {
    server: 'dendrite',
    image: `presence-conformance/dendrite:${DENDRITE_VERSION}`,
    version: DENDRITE_VERSION,
    templateFile: DENDRITE_TEMPLATE,
    timings: DENDRITE_TIMINGS,
    build: {
      server: 'dendrite',
      template: `${IMAGE_DIR}/${path.basename(DENDRITE_TEMPLATE)}`,
      dataDir: DATA_DIR,
      configPath: `${DATA_DIR}/dendrite.yaml`,
      values: dendriteBuildValues(DATA_DIR),
      signingKey: { value: 'privateKeyPath', format: 'dendrite-pem' },
      binary: '/opt/dendrite/bin/dendrite',
    },
    install: [
      'mkdir -p /opt/dendrite/bin',
      `mv ${IMAGE_DIR}/dendrite /opt/dendrite/bin/dendrite`,
      '/opt/dendrite/bin/dendrite --version',
    ].join('\n'),
    extraFiles: { dendrite: binary },
  };
}
