import path from 'node:path';
import { DATA_DIR, IMAGE_DIR, type ImageRecipe, type ServerImageSpec } from '../image-recipe.js';
import { DENDRITE_TEMPLATE, dendriteBuildValues } from './config.js';
import { provisionDendrite } from './provision.js';
import { DENDRITE_TIMINGS, DENDRITE_VERSION } from './timings.js';
import { dendriteBinaryVersion } from './version.js';

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

/** Dendrite's `image` capability: the binary the embedded target builds, copied in. */
export const dendriteImage: ImageRecipe = {
  spec: (binary = '') => dendriteSpec(binary),
  provision: async (progress) => {
    const binary = await provisionDendrite(DENDRITE_VERSION, progress);
    return { binary, serverVersion: `Dendrite ${dendriteBinaryVersion(binary)}` };
  },
};
