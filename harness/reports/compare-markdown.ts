import { escapeMarkdown } from './escape.js';
import { VERDICT_ICON as ICON } from './report-input.js';
import { cellLabel, compareMatrix, passedAt, proposalCell, splitRows, type ComparedRun, type MatrixRow } from './compare-matrix.js';
import { TENTATIVE_NOTE } from './tentative.js';

/**
 * Renders the requirement × server matrix as a GitHub-flavoured Markdown
 * table, with per-level pass counts, then the tentative requirements
 * (PRES-TENT-*) in a table of their own with their proposal and their own
 * count (never in the per-level ones), and one footnote line per run (suite
 * version, date, target). Server-provided labels are escaped.
 */
export function renderCompareMarkdown(runs: ComparedRun[]): string {
  const { stable, tentative } = splitRows(compareMatrix(runs));
  const labels = runs.map((r) => escapeMarkdown(r.label)).join(' | ');
  const cells = (row: MatrixRow) => row.verdicts.map((v, i) => (v ? `${ICON[v]} ${cellLabel(row, i)}` : '—')).join(' | ');
  const id = (row: MatrixRow) => (row.specUrl ? `[${row.id}](${row.specUrl})` : escapeMarkdown(row.id));
  const out = [
    `| Requirement | Level | ${labels} |`,
    `|---|---|${runs.map(() => ':-:').join('|')}|`,
    ...stable.map((row) => `| ${id(row)} | ${row.level} | ${cells(row)} |`),
    ...(['MUST', 'SHOULD', 'MAY'] as const).map(
      (level) => `| **${level} passed** | | ${runs.map((_, i) => passedAt(stable, i, level)).join(' | ')} |`,
    ),
    '',
    ...(tentative.length
      ? [
          `Tentative requirements: ${TENTATIVE_NOTE}.`,
          '',
          `| Tentative requirement | Level | Proposal | ${labels} |`,
          `|---|---|---|${runs.map(() => ':-:').join('|')}|`,
          ...tentative.map((row) => `| ${id(row)} | ${row.level} | ${escapeMarkdown(proposalCell(row))} | ${cells(row)} |`),
          `| **tentative passed** | | | ${runs.map((_, i) => passedAt(tentative, i)).join(' | ')} |`,
          '',
        ]
      : []),
    ...runs.map(
      (run) => `- ${escapeMarkdown(run.label)}: ${escapeMarkdown(`${run.results.tool.name} ${run.results.tool.version}`)}, ${escapeMarkdown(run.results.startedAt.slice(0, 10))}, \`${escapeMarkdown(run.results.target.kind)}\` target${run.results.interrupted ? ' (partial: interrupted)' : ''}`,
    ),
  ];
  return `${out.join('\n')}\n`;
}
