import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { redact } from '../redact.js';
import type { CollectedTest, EvidenceFile, Results } from './model.js';

/** File name of a test's evidence, relative to the report directory. */
export function evidenceFile(test: CollectedTest): string | undefined {
  if (!test.evidence) return undefined;
  const slug = test.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
  return path.posix.join('evidence', test.requirementId, `${slug}.json`);
}

/** Empties what a previous run left in the report directory (but not unrelated files). */
export async function prepareReportDir(reportDir: string): Promise<void> {
  await mkdir(reportDir, { recursive: true });
  await rm(path.join(reportDir, 'evidence'), { recursive: true, force: true });
  await rm(path.join(reportDir, 'results.json'), { force: true });
}

/** Writes results.json and one evidence file per test, everything redacted. */
export async function writeResults(reportDir: string, results: Results, tests: CollectedTest[]): Promise<string> {
  for (const test of tests) {
    const file = evidenceFile(test);
    if (!file) continue;
    const target = path.join(reportDir, file);
    await mkdir(path.dirname(target), { recursive: true });
    const { exchanges, violations, lastObserved, notes } = test.evidence!;
    const content: EvidenceFile = { test: test.fullName, verdict: test.verdict, message: test.message, lastObserved, violations, ...(notes ? { notes } : {}), exchanges };
    await writeFile(target, `${JSON.stringify(redact(content), null, 2)}\n`);
  }
  const resultsPath = path.join(reportDir, 'results.json');
  await writeFile(resultsPath, `${JSON.stringify(redact(results), null, 2)}\n`);
  return resultsPath;
}
