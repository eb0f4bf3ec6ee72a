#!/usr/bin/env node
// `npm run images [-- --only synapse|dendrite --force]`: see harness/images/images.ts.
import { register } from 'tsx/esm/api';

register();
const { images } = await import('../harness/images/images.ts');
process.exitCode = await images(process.argv.slice(2));
