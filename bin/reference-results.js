#!/usr/bin/env node
// `npm run reference-results`: runs the suite against the embedded Synapse into
// reports/reference/synapse/ and regenerates README.md's "Results against real
// servers" table (harness/reports/reference-results.ts).
import { register } from 'tsx/esm/api';

register();
const { updateReferenceResults } = await import('../harness/reports/reference-results.ts');
process.exitCode = await updateReferenceResults(process.argv.slice(2), (line) => process.stderr.write(`${line}\n`));
