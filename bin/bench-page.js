#!/usr/bin/env node
// `node bin/bench-page.js BENCH_JSON [--out FILE.html] [--screenshot FILE.png]`: see harness/bench/html/page-command.ts.
import { register } from 'tsx/esm/api';

register();
const { benchPage } = await import('../harness/bench/html/page-command.ts');
process.exitCode = await benchPage(process.argv.slice(2), (line) => process.stderr.write(`${line}\n`));
