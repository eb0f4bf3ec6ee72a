import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { redact } from '../redact.js';
import type { CollectedTest, EvidenceFile, Results, RunRecord, TestResult } from '../results/model.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import type { ReportInput } from './report-input.js';
import { renderSummaryMarkdown } from './summary-md.js';

/**
 * The layout of a report folder (`--report-dir`), known only here: every
 * writer and reader of a run's folder takes its file names from this.
 * `homeserverLog` is written by the embedded target itself while it runs.
 */
export const REPORT_FOLDER = {
  results: 'results.json',
  evidence: 'evidence',
  junit: 'junit.xml',
  summary: 'summary.md',
  html: 'report.html',
  homeserverLog: 'homeserver.log',
  /** The second server of a federating pair (--target a+b), written by it while it runs. */
  peerHomeserverLog: 'peer-homeserver.log',
} as const;

/** The reports rendered beside results.json in a full folder. */
export const REPORT_FILES = { junit: REPORT_FOLDER.junit, summary: REPORT_FOLDER.summary, html: REPORT_FOLDER.html } as const;

/** Files a comparison of several runs writes (`compare --out`, `--target a,b`). */
export const COMPARE_FILES = { markdown: 'compare.md', html: 'compare.html' } as const;

/**
 * What a folder holds:
 * - `full`: results.json, every test's evidence, junit.xml, summary.md, report.html;
 * - `results`: results.json and the evidence of tests that failed or errored
 *   (what a self-check run needs: its verdicts are judged in memory, and the
 *   folder is only there to look into a mutant's failures).
 */
export type FolderContents = 'full' | 'results';

/** What `writeReportFolder` writes: a run's record and, for the rendered reports, the gate's decision. */
export interface ReportFolderInput extends RunRecord, Omit<ReportInput, 'results'> {}

/** What was written. */
export interface WrittenFolder {
  resultsPath: string;
  /** The results as written: redacted, and without evidence paths that were not written. */
  results: Results;
  /** Every file written, absolute. */
  files: string[];
}

/** Longest slug of a test name in an evidence file's name. */
const SLUG_MAX = 80;

/**
 * Path (relative to the folder) of a test's evidence. A name cut to fit ends
 * in a digest of the whole name: tests of one story that differ only at the
 * end (its client kinds: "... (alice: 'a bot: ...')") keep a file each.
 */
export function evidencePath(requirementId: string, testName: string): string {
  const full = testName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const digest = createHash('sha256').update(testName).digest('hex').slice(0, 8);
  const slug = full.length <= SLUG_MAX ? full : `${full.slice(0, SLUG_MAX - 9).replace(/-$/, '')}-${digest}`;
  return path.posix.join(REPORT_FOLDER.evidence, requirementId, `${slug}.json`);
}

/** The evidence of the collected tests, keyed by `evidencePath`; tests that recorded none have no entry. */
export function collectEvidence(tests: readonly CollectedTest[]): Map<string, EvidenceFile> {
  const evidence = new Map<string, EvidenceFile>();
  for (const test of tests) {
    if (!test.evidence) continue;
    const { exchanges, violations, lastObserved, lastObservedAt, waits, notes, clientKind } = test.evidence;
    evidence.set(evidencePath(test.requirementId, test.name), {
      test: test.fullName, verdict: test.verdict, message: test.message, ...(clientKind ? { clientKind } : {}),
      lastObserved, ...(lastObservedAt === undefined ? {} : { lastObservedAt }), ...(waits ? { waits } : {}),
      violations, ...(notes ? { notes } : {}), exchanges,
    });
  }
  return evidence;
}

/** The path a collected test's evidence is written under, if it recorded any (for `aggregate`). */
export function evidencePathOf(test: CollectedTest): string | undefined {
  return test.evidence ? evidencePath(test.requirementId, test.name) : undefined;
}

/**
 * Empties what a previous run left in the folder (its results, evidence and
 * reports, so that a folder never mixes two runs), but not unrelated files
 * nor the homeserver log, which the target may already be writing.
 */
export async function prepareReportFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await rm(path.join(dir, REPORT_FOLDER.evidence), { recursive: true, force: true });
  for (const file of [REPORT_FOLDER.results, ...Object.values(REPORT_FILES)]) await rm(path.join(dir, file), { force: true });
}

/**
 * Writes a run's folder from memory: results.json, evidence files and (for
 * `full`) the rendered reports. This is where secrets are scrubbed on the
 * way out: everything is redacted once, here, with the secrets this process
 * knows and the keys that always hold one (worker threads redact their
 * recorded exchanges themselves, as only they know their users' tokens).
 * The reports are rendered from the same redacted copy; nothing is read back.
 */
export async function writeReportFolder(dir: string, input: ReportFolderInput, contents: FolderContents = 'full'): Promise<WrittenFolder> {
  const safe = redact({ ...input, evidence: [...input.evidence] });
  const recorded = new Set(safe.evidence.map(([file]) => file));
  const wanted = contents === 'full' ? recorded : failedEvidence(safe.results);
  const evidence = new Map(safe.evidence.filter(([file]) => wanted.has(file)));
  const results = withoutEvidence(safe.results, new Set(evidence.keys()));

  await prepareReportFolder(dir);
  const files: string[] = [];
  const write = async (file: string, content: string) => {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    files.push(target);
  };
  for (const [file, content] of evidence) await write(file, `${JSON.stringify(content, null, 2)}\n`);
  await write(REPORT_FOLDER.results, `${JSON.stringify(results, null, 2)}\n`);
  if (contents === 'full') {
    const report: ReportInput = { results, gate: safe.gate, expectations: safe.expectations };
    await write(REPORT_FILES.junit, renderJunit(report));
    await write(REPORT_FILES.summary, renderSummaryMarkdown(report));
    await write(REPORT_FILES.html, renderHtml(report, evidence));
  }
  return { resultsPath: path.join(dir, REPORT_FOLDER.results), results, files };
}

/** Evidence paths of every test, or run of a test, that failed or errored. */
function failedEvidence(results: Results): Set<string> {
  const failed = (t: { verdict: string; evidence?: string }) => (t.verdict === 'fail' || t.verdict === 'error') && t.evidence !== undefined;
  const tests = results.requirements.flatMap((r) => r.tests);
  return new Set([...tests, ...tests.flatMap((t) => t.runs ?? [])].filter(failed).map((t) => t.evidence!));
}

/** The results with every evidence path not in `kept` removed, so results.json never names a file that is not there. */
function withoutEvidence(results: Results, kept: ReadonlySet<string>): Results {
  const strip = <T extends { evidence?: string }>(t: T): T => {
    if (t.evidence === undefined || kept.has(t.evidence)) return t;
    const { evidence: _dropped, ...rest } = t;
    return rest as T;
  };
  return {
    ...results,
    requirements: results.requirements.map((r) => ({ ...r, tests: r.tests.map((t): TestResult => ({ ...strip(t), ...(t.runs ? { runs: t.runs.map(strip) } : {}) })) })),
  };
}
