#!/usr/bin/env node
// `npm run catalogue-ids`: regenerates harness/requirement-ids.ts from
// the catalogue table of docs/spec/presence.md (see harness/catalogue-ids.ts).
import path from 'node:path';
import { register } from 'tsx/esm/api';

register();
const { REQUIREMENT_IDS_TS, writeRequirementIds } = await import('../harness/catalogue-ids.ts');
const count = writeRequirementIds();
console.log(`${path.relative(process.cwd(), REQUIREMENT_IDS_TS)}: ${count} requirement IDs from docs/spec/presence.md`);
