import { definitionOf, targetKind, type TargetKind } from '../targets/registry.js';

/**
 * What one run of the suites costs the harness's own process: its vitest
 * instance with its worker thread, the recorded exchanges, the HTTP pools.
 * Measured (VmRSS, sampled every 2 s) on the loaded 2-core machine on
 * 2026-12-05: 318 MiB peak for the CLI process running one full run at a
 * time, 382 MiB for two side by side (docs/several-targets.md).
 */
export const HARNESS_MIB_PER_RUN = 320;

/**
 * Peak resident memory of each embedded family's server over a full run
 * (default budget), measured as HARNESS_MIB_PER_RUN: Synapse 1.163.2
 * 150 MiB, Dendrite 0.13.8 265 MiB, tuwunel 1.4.6 121 MiB (a run of two
 * requirements only). Rounded up, with room for a longer (`--slow`) run.
 */
const SERVER_MIB: Partial<Record<TargetKind, number>> = {
  synapse: 256,
  dendrite: 384,
  // RocksDB's caches grow with the data: more room than the short run measured.
  tuwunel: 256,
};

/**
 * A server the harness cannot know: a docker image's (it runs on this
 * machine too) may be any family, so it counts as the hungriest of ours; a
 * url target's runs elsewhere or is somebody else's to budget (0).
 */
const UNKNOWN_SERVER_MIB = Math.max(...Object.values(SERVER_MIB));

/** Peak memory one run against `kind` costs this machine, in MiB: its server(s) and its share of the harness. */
export function memoryOfRunMiB(kind: TargetKind): number {
  return HARNESS_MIB_PER_RUN + serverMiB(kind);
}

function serverMiB(kind: TargetKind): number {
  const definition = definitionOf(kind);
  switch (definition.type) {
    case 'embedded':
      return SERVER_MIB[kind] ?? UNKNOWN_SERVER_MIB;
    case 'pair':
      // Both servers, and the recording proxy (in the harness's process) with the link's transactions.
      return serverMiB(targetKind(definition.first)) + serverMiB(targetKind(definition.second)) + 64;
    case 'container':
      return UNKNOWN_SERVER_MIB;
    case 'external':
      return 0;
  }
}
