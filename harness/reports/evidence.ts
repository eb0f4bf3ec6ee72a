import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvidenceFile, Results } from '../results/model.js';

/**
 * Reads the evidence files (already redacted when written) of every test
 * that did not pass, keyed by their path relative to the report directory.
 * Evidence of passing tests is left out of reports; a missing or unreadable
 * file is skipped, so a report can still be rendered from a partial run.
 */
export async function loadFailureEvidence(reportDir: string, results: Results): Promise<Map<string, EvidenceFile>> {
  const evidence = new Map<string, EvidenceFile>();
  for (const requirement of results.requirements) {
    for (const test of requirement.tests) {
      if (!test.evidence || test.verdict === 'pass' || test.verdict === 'skip' || evidence.has(test.evidence)) continue;
      // Evidence paths come from results.json; never follow one out of the report directory.
      const file = path.resolve(reportDir, test.evidence);
      if (!file.startsWith(path.resolve(reportDir) + path.sep)) continue;
      try {
        evidence.set(test.evidence, JSON.parse(await readFile(file, 'utf8')) as EvidenceFile);
      } catch {
        // Rendered as "no evidence recorded".
      }
    }
  }
  return evidence;
}
