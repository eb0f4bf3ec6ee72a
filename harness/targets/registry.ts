import { HarnessError } from '../errors.js';
import { dendriteTarget } from './dendrite/index.js';
import { dockerTarget } from './docker/index.js';
import { synapseTarget } from './synapse/index.js';
import type { TargetDefinition } from './target.js';
import { tuwunelTarget } from './tuwunel/index.js';
import { urlTarget } from './url/index.js';

/**
 * Every kind of target `--target` accepts, each a folder under
 * harness/targets/. Args parsing, --help, the runner, the self-check and the
 * results all read this table: a new target is one folder and one line here.
 */
export const TARGETS = {
  synapse: synapseTarget,
  dendrite: dendriteTarget,
  tuwunel: tuwunelTarget,
  url: urlTarget,
  docker: dockerTarget,
  'synapse+synapse': {
    type: 'pair',
    summary: 'two embedded Synapses federating on 127.0.0.1 through a recording proxy (TLS, the run\'s own CA); every suite runs against the first, the federation suite across both',
    first: 'synapse',
    second: 'synapse',
  },
  'synapse+dendrite': {
    type: 'pair',
    summary: 'the embedded Synapse federating with the embedded Dendrite, as synapse+synapse; every suite runs against Synapse',
    first: 'synapse',
    second: 'dendrite',
  },
  'dendrite+synapse': {
    type: 'pair',
    summary: 'the embedded Dendrite federating with the embedded Synapse, as synapse+synapse; every suite runs against Dendrite',
    first: 'dendrite',
    second: 'synapse',
  },
} as const satisfies Record<string, TargetDefinition>;

/** A `--target` name. */
export type TargetKind = keyof typeof TARGETS;

/** What `--target` defaults to. */
export const DEFAULT_TARGET: TargetKind = 'synapse';

/** Every target name, in registry order. */
export const TARGET_KINDS = Object.keys(TARGETS) as TargetKind[];

/** Narrows a `--target` value to a registered kind, or explains in one line. */
export function targetKind(name: string): TargetKind {
  if (Object.hasOwn(TARGETS, name)) return name as TargetKind;
  throw new HarnessError(`--target must be one of ${TARGET_KINDS.join(', ')}; got ${JSON.stringify(name)}`);
}
