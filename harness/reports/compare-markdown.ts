import { escapeMarkdown } from './escape.js';
import { VERDICT_ICON as ICON } from './report-input.js';
import { cellLabel, compareMatrix, passedAt, type ComparedRun } from './compare-matrix.js';


/**
 * Renders the requirement × server matrix as a GitHub-flavoured Markdown
 * table, with per-level pass counts and one footnote line per run (suite
 * version, date, target). Server-provided labels are escaped.
 */
export function renderCompareMarkdown(runs: ComparedRun[]): string {
  const rows = compareMatrix(runs);
  const out = [
    `| Requirement | Level | ${runs.map((r) => escapeMarkdown(r.label)).join(' | ')} |`,
    `|---|---|${runs.map(() => ':-:').join('|')}|`,
    ...rows.map((row) => {
      const id = row.specUrl ? `[${row.id}](${row.specUrl})` : escapeMarkdown(row.id);
      return `| ${id} | ${row.level} | ${row.verdicts.map((v, i) => (v ? `${ICON[v]} ${cellLabel(row, i)}` : '—')).join(' | ')} |`;
    }),
    ...(['MUST', 'SHOULD', 'MAY'] as const).map(
      (level) => `| **${level} passed** | | ${runs.map((_, i) => passedAt(rows, i, level)).join(' | ')} |`,
    ),
    '',
    ...runs.map(
      (run) => `- ${escapeMarkdown(run.label)}: ${escapeMarkdown(`${run.results.tool.name} ${run.results.tool.version}`)}, ${escapeMarkdown(run.results.startedAt.slice(0, 10))}, \`${escapeMarkdown(run.results.target.kind)}\` target${run.results.interrupted ? ' (partial: interrupted)' : ''}`,
    ),
  ];
  return `${out.join('\n')}\n`;
}
