#!/usr/bin/env node
// `npm run test-costs [-- FILE...]`: runs the e2e project (or the e2e files
// named) with each file's cost recorded (harness/testing/test-cost.setup.ts),
// then rewrites docs/test-costs.jsonl (the record the e2e files' start order
// follows: harness/testing/slowest-first.sequencer.ts) and the table of
// docs/test-costs.md; files run alone replace their own lines only.
// `--from DIR` takes a folder recorded earlier instead of running anything.
// As long as the e2e project itself (about ten minutes).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { TEST_COSTS_ENV, parseCosts, renderCostTable, replaceTable } = await import('../harness/testing/test-costs.ts');
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const from = args[0] === '--from' ? args[1] : undefined;
let dir = from;
if (!dir) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pc-test-costs-'));
  const vitest = spawnSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.config.ts', '--project', 'e2e', ...args], {
    cwd: root, stdio: 'inherit', env: { ...process.env, [TEST_COSTS_ENV]: dir },
  });
  if (vitest.status !== 0) console.error(`the e2e project exited ${vitest.status}: the table shows the files' costs all the same`);
}
const page = path.join(root, 'docs/test-costs.md');
const record = path.join(root, 'docs/test-costs.jsonl');
const measured = parseCosts(readFileSync(path.join(dir, 'costs.jsonl'), 'utf8'));
const kept = existsSync(record) ? parseCosts(readFileSync(record, 'utf8')).filter((c) => !measured.some((m) => m.file === c.file)) : [];
const costs = [...kept, ...measured].sort((a, b) => a.file.localeCompare(b.file));
writeFileSync(record, costs.map((c) => `${JSON.stringify(c)}\n`).join(''));
writeFileSync(page, replaceTable(readFileSync(page, 'utf8'), renderCostTable(costs)));
console.log(`docs/test-costs.md: ${costs.length} e2e files (recorded in ${dir})`);
