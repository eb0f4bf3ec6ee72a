import { HarnessError } from '../errors.js';
import type { StartedServer, TargetDefinition } from './definition.js';
import { dendriteTarget } from './dendrite/index.js';
import { dockerTarget } from './docker/index.js';
import type { TargetKind } from './kind.js';
import { synapseTarget } from './synapse/index.js';
import type { StartedTarget } from './target.js';
import { tuwunelTarget } from './tuwunel/index.js';
import { urlTarget } from './url/index.js';

export type { TargetKind } from './kind.js';

/** A pair of the embedded families: declares nothing of its own (its servers do). */
const PAIR = { disablePresence: false, federate: false } as const;

/**
 * Every kind of target `--target` accepts, each a folder under
 * harness/targets/ whose index.ts is its definition. Args parsing, --help,
 * the runner, the self-check, the images and the results all read this table
 * and the capabilities each entry declares: a new family is one folder and
 * one line here.
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
    capabilities: PAIR,
    first: 'synapse',
    second: 'synapse',
  },
  'synapse+dendrite': {
    type: 'pair',
    summary: 'the embedded Synapse federating with the embedded Dendrite, as synapse+synapse; every suite runs against Synapse',
    capabilities: PAIR,
    first: 'synapse',
    second: 'dendrite',
  },
  'dendrite+synapse': {
    type: 'pair',
    summary: 'the embedded Dendrite federating with the embedded Synapse, as synapse+synapse; every suite runs against Dendrite',
    capabilities: PAIR,
    first: 'dendrite',
    second: 'synapse',
  },
  'synapse+tuwunel': {
    type: 'pair',
    summary: 'the embedded Synapse federating with the embedded tuwunel (--binary), as synapse+synapse; every suite runs against Synapse',
    capabilities: PAIR,
    first: 'synapse',
    second: 'tuwunel',
  },
  'tuwunel+synapse': {
    type: 'pair',
    summary: 'the embedded tuwunel (--binary) federating with the embedded Synapse, as synapse+synapse; every suite runs against tuwunel',
    capabilities: PAIR,
    first: 'tuwunel',
    second: 'synapse',
  },
} as const satisfies Record<string, TargetDefinition>;

declare module './kind.js' {
  /** One member per registry entry: what makes `TargetKind` the table's keys without kind.ts importing the families. */
  interface TargetKinds extends Record<keyof typeof TARGETS, true> {}
}

/** What `--target` defaults to. */
export const DEFAULT_TARGET: TargetKind = 'synapse';

/** Every target name, in registry order. */
export const TARGET_KINDS = Object.keys(TARGETS) as TargetKind[];

/** The definition of a `--target`, seen through the shape every entry shares (not its literal type). */
export function definitionOf(kind: TargetKind): TargetDefinition {
  return TARGETS[kind];
}

/** The targets that declare a capability, for messages and --help. */
export function kindsThat(has: (definition: TargetDefinition) => boolean): TargetKind[] {
  return TARGET_KINDS.filter((kind) => has(definitionOf(kind)));
}

/** Narrows a `--target` value to a registered kind, or explains in one line. */
export function targetKind(name: string): TargetKind {
  if (Object.hasOwn(TARGETS, name)) return name as TargetKind;
  throw new HarnessError(`--target must be one of ${TARGET_KINDS.join(', ')}; got ${JSON.stringify(name)}`);
}

/** Names what a family started with the `--target` it was reached by: the one place a started target gets its kind. */
export function stamped(kind: TargetKind, server: StartedServer): StartedTarget {
  return { ...server, kind };
}

/**
 * The families whose binary `--binary` hands to a `--target`: itself when it
 * declares the `binary` capability, a pair's members that do; none else.
 */
export function binaryFamilies(kind: TargetKind): TargetKind[] {
  const definition = definitionOf(kind);
  const members = definition.type === 'pair' ? [...new Set([definition.first, definition.second])].map(targetKind) : [kind];
  return members.filter((member) => definitionOf(member).capabilities.binary !== undefined);
}

/** The env variable that hands a family a binary (`--binary`'s fallback), e.g. PRESENCE_DENDRITE_BINARY. */
export function binaryEnv(kind: TargetKind): string {
  return `PRESENCE_${kind.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BINARY`;
}

/**
 * The refusal of a run of `kind` without the binary it requires
 * (`capabilities.binary.required`): the CLI's, before anything starts, and
 * the runner's, for a caller that is not the CLI.
 */
export function binaryMissing(kind: TargetKind): HarnessError {
  const howToGet = definitionOf(kind).capabilities.binary?.howToGet;
  return new HarnessError(`--target ${kind} boots a binary you give (--binary PATH or env ${binaryEnv(kind)})${howToGet ? `: ${howToGet}` : ''}`);
}
