#!/usr/bin/env -S node --max-semi-space-size=2
// --max-semi-space-size=2 (also in package.json's scripts): V8's young
// generation at 2 MB instead of 16 per thread; the run's import of vitest and
// the suites leaves ~150 MB of short-lived garbage that the default lets pile
// up (peak 422 MB instead of 287 for a scoped run, same CPU time).
// Runs the TypeScript CLI directly through tsx's loader: no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Everything the run opened is closed by now; should a stray handle remain,
// do not let it keep the process (and CI) waiting.
setTimeout(() => process.exit(code), 2_000).unref();
