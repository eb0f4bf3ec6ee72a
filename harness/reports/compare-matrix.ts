import type { Level, Tentative } from '../catalogue.js';
import type { NotChecked, Results, Verdict } from '../results/model.js';
import { REQUIREMENTS } from '../catalogue.js';
import { catalogueEntry } from './report-input.js';

/** One results.json in a comparison, with the column label it is shown under. */
export interface ComparedRun {
  label: string;
  results: Results;
}

/** One row of the requirement × server matrix; `verdicts[i]` is undefined where run i did not include the requirement. */
export interface MatrixRow {
  id: string;
  level: Level;
  title: string;
  specUrl?: string;
  /** Set on a tentative requirement (PRES-TENT-*): its proposal and status. Such rows are shown and counted apart. */
  tentative?: Tentative;
  verdicts: Array<Verdict | undefined>;
  /** Per run, why a skipped requirement was not checked (`slow`: over that run's wait budget; `rate-limited`: a rate limit's wait over it). */
  notChecked: Array<NotChecked | undefined>;
  /** Per run, whether the requirement's verdict changed between that run's repeats (`--repeat`). */
  flaky: boolean[];
}

/**
 * Labels each run by its server version; where two runs share one, by the
 * version and the file it was read from.
 */
export function labelRuns(runs: Array<{ file: string; results: Results }>): ComparedRun[] {
  const versions = runs.map((run) => run.results.target.serverVersion || 'unknown server');
  // The same server reached two ways (embedded and its image) is told apart
  // by the target kind; by the file only when that is not enough.
  const byKind = runs.map(({ results }, i) => `${versions[i]} (${results.target.kind})`);
  return runs.map(({ file, results }, i) => {
    const version = versions[i]!;
    if (versions.filter((v) => v === version).length === 1) return { label: version, results };
    const kind = byKind[i]!;
    return { label: byKind.filter((k) => k === kind).length === 1 ? kind : `${version} (${file})`, results };
  });
}

/** The requirement × server matrix: catalogue requirements first, in catalogue order, then IDs this version does not know. */
export function compareMatrix(runs: ComparedRun[]): MatrixRow[] {
  const seen = runs.flatMap((run) => run.results.requirements);
  const ids = [...new Set([...REQUIREMENTS.map((r) => r.id).filter((id) => seen.some((r) => r.id === id)), ...seen.map((r) => r.id)])];
  return ids.map((id) => {
    const first = seen.find((r) => r.id === id)!;
    const entry = catalogueEntry(id);
    const tentative = entry?.tentative ?? first.tentative;
    return {
      id,
      level: entry?.level ?? first.level,
      title: entry?.title ?? first.title,
      specUrl: entry?.specUrl,
      ...(tentative ? { tentative } : {}),
      verdicts: runs.map((run) => run.results.requirements.find((r) => r.id === id)?.verdict),
      notChecked: runs.map((run) => run.results.requirements.find((r) => r.id === id)?.notChecked),
      flaky: runs.map((run) => run.results.requirements.find((r) => r.id === id)?.flaky === true),
    };
  });
}

/** The matrix split: the stable catalogue's rows, and the tentative area's (shown and counted apart). */
export function splitRows(rows: readonly MatrixRow[]): { stable: MatrixRow[]; tentative: MatrixRow[] } {
  return { stable: rows.filter((r) => !r.tentative), tentative: rows.filter((r) => r.tentative) };
}

/** A tentative row's proposal, e.g. `MSC4186 (merged)`. */
export function proposalCell(row: MatrixRow): string {
  return row.tentative ? `${row.tentative.msc} (${row.tentative.status})` : '';
}

/**
 * How a run did at one level, e.g. `6/32 (26 skipped, 4 of them not checked: slow)`:
 * passed, out of the requirements it included. `level` undefined: every level
 * (the tentative table's total).
 */
export function passedAt(rows: MatrixRow[], column: number, level?: Level): string {
  const atLevel = rows.filter((r) => (level === undefined || r.level === level) && r.verdicts[column] !== undefined);
  const passed = atLevel.filter((r) => r.verdicts[column] === 'pass').length;
  const skipped = atLevel.filter((r) => r.verdicts[column] === 'skip').length;
  const unchecked = atLevel.filter((r) => r.notChecked[column] !== undefined);
  const why = [...new Set(unchecked.map((r) => r.notChecked[column]))].join(', ');
  return `${passed}/${atLevel.length}${skipped ? ` (${skipped} skipped${unchecked.length ? `, ${unchecked.length} of them not checked: ${why}` : ''})` : ''}`;
}

/** A cell's label: the verdict; for a skip the budget left unchecked, why; for a verdict that changed between repeats, `flaky`. */
export function cellLabel(row: MatrixRow, column: number): string | undefined {
  const verdict = row.verdicts[column];
  const notes = [row.notChecked[column], row.flaky[column] ? 'flaky' : undefined].filter(Boolean);
  return verdict && notes.length ? `${verdict} (${notes.join(', ')})` : verdict;
}
