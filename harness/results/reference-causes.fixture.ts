/**
 * Test-only: a committed reference run (reports/reference/<name>/) with each
 * failing test's cause derived from its evidence files, as `aggregate` derives
 * it during a run (the committed results predate the field).
 */
import { readFile } from 'node:fs/promises';
import { isPayloadEntry } from './aggregate.js';
import { failureCause } from './failure-cause.js';
import type { EvidenceFile, Results } from './model.js';

export async function referenceWithCauses(name: string): Promise<Results> {
  const folder = new URL(`../../reports/reference/${name}/`, import.meta.url);
  const results = JSON.parse(await readFile(new URL('results.json', folder), 'utf8')) as Results;
  for (const r of results.requirements) {
    for (const t of r.tests) {
      if (t.verdict !== 'fail' || !t.evidence) continue;
      const evidence = JSON.parse(await readFile(new URL(t.evidence, folder), 'utf8')) as EvidenceFile;
      const cause = failureCause(r.id, { message: t.message, payloadEntry: isPayloadEntry(t.name) }, evidence);
      if (cause) t.cause = cause;
    }
  }
  return results;
}
