/**
 * The names `--target` accepts, filled in by the registry (registry.ts
 * augments this interface with one member per entry of its table). A leaf on
 * purpose: what names a started target (target.ts) needs the names, not the
 * families, so nothing a family imports leads back to the registry.
 */
export interface TargetKinds {}

/** A `--target` name: a key of the registry's table (harness/targets/registry.ts). */
export type TargetKind = keyof TargetKinds & string;
