#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's loader: no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Everything the run opened is closed by now; should a stray handle remain,
// do not let it keep the process (and CI) waiting.
setTimeout(() => process.exit(code), 2_000).unref();
