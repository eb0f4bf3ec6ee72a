#!/usr/bin/env node
// `npm run bench [-- --runs N --only PREFIX]`: see harness/bench/bench.ts.
import { register } from 'tsx/esm/api';

register();
const { bench } = await import('../harness/bench/bench.ts');
process.exitCode = await bench(process.argv.slice(2));
