import { TARGETS, type TargetKind } from '../targets/registry.js';

/**
 * Whether the server under test outlives the run, its test users with it:
 * a server reached by URL does. An embedded server's work folder (its
 * database) and a container are removed when the run (or the self-check or
 * `--repeat` that shares it) ends, and every account with them.
 */
export function serverOutlivesRun(kind: TargetKind): boolean {
  return TARGETS[kind].type === 'external';
}
