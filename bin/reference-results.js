#!/usr/bin/env node
// `npm run reference-results [-- --target dendrite --slow]`: runs the suite against
// each embedded target (default synapse) into reports/reference/<target>/ and
// regenerates README.md's results table (harness/reports/reference-results.ts).
import { register } from 'tsx/esm/api';

register();
const { updateReferenceResults } = await import('../harness/reports/reference-results.ts');
process.exitCode = await updateReferenceResults(process.argv.slice(2), (line) => process.stderr.write(`${line}\n`));
