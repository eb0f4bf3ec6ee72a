import path from 'node:path';
import { DATA_DIR, IMAGE_DIR, type ImageRecipe, type ServerImageSpec } from '../image-recipe.js';
import { LOW_BCRYPT_ROUNDS, SYNAPSE_TEMPLATE, synapseBuildValues } from './config.js';
import { SYNAPSE_TIMINGS, SYNAPSE_VERSION } from './timings.js';

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

/** Synapse's `image` capability: pip installs it inside the build container, nothing to make here. */
export const synapseImage: ImageRecipe = {
  spec: () => synapseSpec(),
  provision: async () => ({ serverVersion: `Synapse ${SYNAPSE_VERSION}` }),
};
