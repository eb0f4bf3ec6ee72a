import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { redact } from '../redact.js';
import { loadFailureEvidence } from './evidence.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import type { ReportInput } from './report-input.js';
import { renderSummaryMarkdown } from './summary-md.js';

/** File names of the reports written beside results.json. */
export const REPORT_FILES = { junit: 'junit.xml', summary: 'summary.md', html: 'report.html' } as const;

/**
 * Writes `junit.xml`, `summary.md` and `report.html` into the report
 * directory, which must already hold the run's evidence files. The input is
 * redacted once more here, so no writer can leak a registered secret.
 * Resolves to the paths written.
 */
export async function writeReports(reportDir: string, input: ReportInput): Promise<string[]> {
  const safe = redact(input);
  const evidence = new Map([...(await loadFailureEvidence(reportDir, safe.results))].map(([file, content]) => [file, redact(content)]));
  const outputs: Array<[string, string]> = [
    [REPORT_FILES.junit, renderJunit(safe)],
    [REPORT_FILES.summary, renderSummaryMarkdown(safe)],
    [REPORT_FILES.html, renderHtml(safe, evidence)],
  ];
  const written: string[] = [];
  for (const [name, content] of outputs) {
    const file = path.join(reportDir, name);
    await writeFile(file, content);
    written.push(file);
  }
  return written;
}
