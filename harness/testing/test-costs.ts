/**
 * What each e2e file costs, as docs/test-costs.md shows it: one line per
 * file, written by harness/testing/test-cost.setup.ts when env
 * PRESENCE_TEST_COSTS names a folder, rendered here into the table between
 * the page's markers (`npm run test-costs` runs the e2e project and rewrites it).
 */
export const TEST_COSTS_ENV = 'PRESENCE_TEST_COSTS';
export const TABLE_BEGIN = '<!-- test-costs:begin (npm run test-costs rewrites this table) -->';
export const TABLE_END = '<!-- test-costs:end -->';

export interface FileCost {
  /** Relative to the project root. */
  file: string;
  startedAt: string;
  wallMs: number;
  /** The vitest worker's own CPU (the test code, its in-process servers). */
  cpuMs: number;
  /** CPU of the children the worker reaped: CLI runs and the homeservers they or the test booted. */
  childrenCpuMs: number;
  tests: number;
  /** The machine's 1-minute load average when the file ended. */
  load1: number;
}

export function parseCosts(jsonl: string): FileCost[] {
  return jsonl.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as FileCost);
}

const seconds = (ms: number): string => String(Math.round(ms / 1000));

/**
 * The table, slowest file first, with a closing line: the run's wall time
 * (first start to last end, the files overlapping) and its CPU in all.
 */
export function renderCostTable(costs: readonly FileCost[]): string {
  const rows = [...costs].sort((a, b) => b.wallMs - a.wallMs || a.file.localeCompare(b.file));
  const lines = [
    '| e2e file | tests | wall s | CPU s (worker + children) | load at end |',
    '|---|--:|--:|--:|--:|',
    ...rows.map((c) => `| ${c.file} | ${c.tests} | ${seconds(c.wallMs)} | ${seconds(c.cpuMs + c.childrenCpuMs)} | ${c.load1.toFixed(1)} |`),
  ];
  if (rows.length > 0) {
    const start = Math.min(...rows.map((c) => Date.parse(c.startedAt)));
    const end = Math.max(...rows.map((c) => Date.parse(c.startedAt) + c.wallMs));
    const cpu = rows.reduce((sum, c) => sum + c.cpuMs + c.childrenCpuMs, 0);
    const sum = rows.reduce((total, c) => total + c.wallMs, 0);
    lines.push('', `${rows.length} files, ${rows.reduce((n, c) => n + c.tests, 0)} tests: ${seconds(end - start)} s wall from the first file's start to the last one's end (the files' own walls add up to ${seconds(sum)} s), ${seconds(cpu)} CPU s.`);
  }
  return lines.join('\n');
}

/** `page` with the text between its markers replaced by `table`; an error when a marker is missing. */
export function replaceTable(page: string, table: string): string {
  const begin = page.indexOf(TABLE_BEGIN);
  const end = page.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`the page has no ${TABLE_BEGIN} ... ${TABLE_END} markers`);
  return `${page.slice(0, begin + TABLE_BEGIN.length)}\n${table}\n${page.slice(end)}`;
}
