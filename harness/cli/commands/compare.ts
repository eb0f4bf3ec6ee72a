import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, HarnessError } from '../../errors.js';
import { renderCompareHtml } from '../../reports/compare-html.js';
import { labelRuns } from '../../reports/compare-matrix.js';
import { renderCompareMarkdown } from '../../reports/compare-markdown.js';
import { COMPARE_FILES } from '../../reports/report-folder.js';
import { readResultsFile } from '../../reports/results-schema.js';
import { fail, log } from '../output.js';

export const COMPARE_HELP = `presence-conformance compare: a requirement × server matrix of several runs

Usage:
  presence-conformance compare <results.json> [<results.json> ...] [--out <dir>]

Each file is a results.json written by \`presence-conformance run\` (validated
against docs/results.schema.json). Without --out the Markdown table goes to
stdout; with --out, compare.md and compare.html (self-contained) are written there.
`;

/** `presence-conformance compare`: reads results files, writes the matrix; resolves to the exit code. */
export async function compareCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCli(argv);
    if (values.help) {
      process.stdout.write(COMPARE_HELP);
      return EXIT.ok;
    }
    if (positionals.length === 0) throw new HarnessError('compare needs at least one results.json (see --help)');
    if (!values.out) {
      process.stdout.write(renderCompareMarkdown(await readRuns(positionals)));
      return EXIT.ok;
    }
    await writeComparison(positionals, values.out);
    return EXIT.ok;
  } catch (cause) {
    return fail(cause);
  }
}

async function readRuns(files: string[]) {
  return labelRuns(await Promise.all(files.map(async (file) => ({ file, results: await readResultsFile(file) }))));
}

/**
 * Writes compare.md and compare.html for `resultsFiles` into `outDir` and
 * returns their paths; used by `compare --out` and by a run of several targets.
 */
export async function writeComparison(resultsFiles: string[], outDir: string): Promise<string[]> {
  const runs = await readRuns(resultsFiles);
  await mkdir(outDir, { recursive: true });
  const files: Array<[string, string]> = [
    [path.join(outDir, COMPARE_FILES.markdown), renderCompareMarkdown(runs)],
    [path.join(outDir, COMPARE_FILES.html), renderCompareHtml(runs)],
  ];
  for (const [file, content] of files) await writeFile(file, content);
  log(`compared ${runs.length} run(s): ${files.map(([file]) => path.relative(process.cwd(), file) || file).join(', ')}`);
  return files.map(([file]) => file);
}

function parseCli(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (cause) {
    throw new HarnessError(`${cause instanceof Error ? cause.message : String(cause)} (see --help)`);
  }
}
