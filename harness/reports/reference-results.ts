import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EXIT } from '../errors.js';
import { labelRuns } from './compare-matrix.js';
import { renderCompactReferenceSection } from './readme-compact-table.js';
import { renderReferenceSection, replaceReferenceSection } from './readme-table.js';
import { REPORT_FOLDER } from './report-folder.js';
import { readResultsFile } from './results-schema.js';

const ROOT = new URL('../../', import.meta.url).pathname;
/** Where reference runs live, one directory per server; committed. */
export const REFERENCE_DIR = 'reports/reference';
/** What `npm run reference-results -- --help` prints. */
export const USAGE = [
  'usage: npm run reference-results [-- --target synapse[,dendrite,...] [run options such as --slow]]',
  'Runs the whole suite against each embedded target into reports/reference/<target>/ (fixed seed),',
  'then regenerates the results tables of README.md (compact) and docs/results.md (full) from every reports/reference/*/results.json.',
].join('\n');

/** A fixed seed, so that reference runs differ only where the server did. */
const SEED = '2016';

/**
 * `npm run reference-results [-- --target dendrite --slow]`: runs the whole
 * suite against each embedded target named by `--target` (default synapse;
 * a comma-separated list runs each in turn) into
 * reports/reference/<target>/, then regenerates the "Results against real
 * servers" table of README.md from every reports/reference/<server>/results.json,
 * so a server run earlier keeps its column. Other arguments go to the run.
 * Resolves to the exit code: that of a run when it could not complete, 0 otherwise.
 */
export async function updateReferenceResults(extraArgs: string[], log: (line: string) => void): Promise<number> {
  // Asked how to use it: say so, and run nothing (it once ran the suite, passing --help to the run).
  if (extraArgs.includes('--help') || extraArgs.includes('-h')) {
    log(USAGE);
    return EXIT.ok;
  }
  const { targets, rest } = splitTargets(extraArgs);
  for (const target of targets) {
    const code = await referenceRun(target, rest, log);
    // Exit 1 only means a MUST requirement failed: that is a result worth publishing.
    if (code !== EXIT.ok && code !== EXIT.failed) return code;
  }

  await writeReferenceTables(log);
  return EXIT.ok;
}

/** The full results tables, each cell spelled out, with links to each server's reports. */
export const RESULTS_DOC = 'docs/results.md';

/**
 * The tables of every reports/reference/<server>/results.json, put between
 * the markers of their files: the full one in docs/results.md, the compact one
 * in README.md (a README of at most 12 KB). Returns each file's new text.
 */
export async function renderReferenceTables(): Promise<{ servers: string[]; files: Record<string, string> }> {
  const servers = (await readdir(path.join(ROOT, REFERENCE_DIR), { withFileTypes: true })).filter((d) => d.isDirectory() && existsSync(path.join(ROOT, REFERENCE_DIR, d.name, REPORT_FOLDER.results))).map((d) => d.name).sort();
  const runs = labelRuns(await Promise.all(servers.map(async (name) => ({ file: path.posix.join(REFERENCE_DIR, name, REPORT_FOLDER.results), results: await readResultsFile(path.join(ROOT, REFERENCE_DIR, name, REPORT_FOLDER.results)) }))));
  const current = async (file: string) => (existsSync(path.join(ROOT, file)) ? readFile(path.join(ROOT, file), 'utf8') : undefined);
  const fromDoc = path.posix.relative(path.posix.dirname(RESULTS_DOC), REFERENCE_DIR);
  return {
    servers,
    files: {
      [RESULTS_DOC]: replaceReferenceSection(await current(RESULTS_DOC), renderReferenceSection(runs, servers.map((name) => path.posix.join(fromDoc, name)))),
      'README.md': replaceReferenceSection(await current('README.md'), renderCompactReferenceSection(runs, RESULTS_DOC)),
    },
  };
}

/** Writes renderReferenceTables' files. */
export async function writeReferenceTables(log: (line: string) => void): Promise<void> {
  const { servers, files } = await renderReferenceTables();
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(ROOT, file), text);
  log(`${Object.keys(files).join(', ')}: reference results of ${servers.join(', ')}`);
}

/** The `--target` list of the arguments (default synapse), and the arguments without it. */
function splitTargets(args: string[]): { targets: string[]; rest: string[] } {
  const at = args.findIndex((a) => a === '--target' || a.startsWith('--target='));
  if (at === -1) return { targets: ['synapse'], rest: args };
  const value = args[at]!.includes('=') ? args[at]!.slice('--target='.length) : args[at + 1];
  const rest = args.filter((_, i) => i !== at && !(i === at + 1 && !args[at]!.includes('=')));
  return { targets: (value ?? 'synapse').split(',').filter(Boolean), rest };
}

/** One reference run of `target` into reports/reference/<target>/; resolves to the CLI's exit code. */
async function referenceRun(target: string, args: string[], log: (line: string) => void): Promise<number> {
  const reportDir = path.join(REFERENCE_DIR, target);
  log(`running the suite against the embedded ${target} into ${reportDir}`);
  return promisify(execFile)(process.execPath, ['bin/presence-conformance.js', 'run', '--target', target, '--report-dir', reportDir, '--seed', SEED, ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).then(
    () => EXIT.ok,
    (e: { code?: number; stderr?: string }) => {
      if (e.code !== EXIT.failed) log(e.stderr?.trim().split('\n').slice(-5).join('\n') ?? String(e));
      return typeof e.code === 'number' ? e.code : EXIT.harness;
    },
  );
}
