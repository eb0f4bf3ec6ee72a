#!/usr/bin/env -S node --max-semi-space-size=1 --optimize-for-size
// V8 flags (also in package.json's scripts; not allowed in NODE_OPTIONS):
// the run's import of vitest and the suites leaves much short-lived garbage
// that V8's defaults let pile up. With a 1 MB young generation and a heap
// sized for footprint, a full Synapse run peaks at 293 MB instead of 449 MB
// (CLI and its test worker), same wall time, ~3 s more CPU
// (docs/decisions/0007-one-worker-for-the-suites.md).
// Runs the TypeScript CLI directly through tsx's loader: no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// The code main decided is final: a vitest instance that settles after it
// (a run cut short when the server died under the self-check) sets
// process.exitCode = 1 for its failed tests, which would turn exit 2 into 1.
process.on('exit', () => {
  process.exitCode = code;
});
// Everything the run opened is closed by now; should a stray handle remain,
// do not let it keep the process (and CI) waiting.
setTimeout(() => process.exit(code), 2_000).unref();
